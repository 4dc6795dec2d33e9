using Bridge.Worker.PipelineEvents;
using Bridge.Worker.Webhooks;
using MassTransit;
using Microsoft.Extensions.Options;

namespace Bridge.Worker.Queue;

internal static class QueueExtensions
{
    /// <summary>
    /// MassTransit over RabbitMQ (or in memory): one durable quorum queue of <c>PipelineEvent</c>s, read as a
    /// MassTransit envelope or as plain JSON, with the consumer's retry policy and an <c>_error</c> queue that the broker
    /// also dead-letters into (<see cref="RabbitMqTopology"/>); and, when
    /// webhooks are configured, a second one of <c>BitbucketWebhookDelivery</c>s (its own queue, so that a plain-JSON
    /// message is never offered to both consumers).
    /// </summary>
    public static IHostApplicationBuilder AddQueue(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<BrokerOptions>().BindConfiguration(BrokerOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<BrokerOptions>, BrokerOptionsValidator>();
        var transport = builder.Configuration.GetSection(BrokerOptions.Section).Get<BrokerOptions>()?.Transport ?? BrokerTransport.RabbitMq;
        var webhooks = builder.Configuration.GetSection(WebhookOptions.Section).Get<WebhookOptions>()?.Enabled ?? false;
        // Started before the bus: an existing queue with other arguments stops start-up at once (exit 6).
        builder.Services.AddSingleton<BrokerStartupWait>();
        builder.Services.AddHostedService<QueuePreflight>();
        builder.Services.AddReceiveEndpointObserver<BrokerRecoveryLog>();
        builder.Services.AddMassTransit(bus =>
        {
            // MassTransit 8.5 would otherwise post the bus's queue names and settings to its vendor's server.
            bus.DisableUsageTelemetry();
            bus.AddConsumer<PipelineEventConsumer, PipelineEventConsumerDefinition>();
            if (webhooks)
            {
                bus.AddConsumer<WebhookDeliveryConsumer, WebhookDeliveryConsumerDefinition>();
            }

            if (transport == BrokerTransport.InMemory)
            {
                bus.UsingInMemory((context, cfg) =>
                {
                    var options = context.GetRequiredService<IOptions<BrokerOptions>>().Value;
                    cfg.ReceiveEndpoint(options.Queue, endpoint => ConfigureEndpoint<PipelineEventConsumer>(endpoint, options, context));
                    if (webhooks)
                    {
                        var queue = context.GetRequiredService<IOptions<WebhookOptions>>().Value.Queue;
                        cfg.ReceiveEndpoint(queue, endpoint => ConfigureEndpoint<WebhookDeliveryConsumer>(endpoint, options, context));
                    }
                });
                return;
            }

            bus.UsingRabbitMq((context, cfg) =>
            {
                var options = context.GetRequiredService<IOptions<BrokerOptions>>().Value;
                ConfigureHost(cfg, new Uri(options.Url));
                RabbitMqTopology.ConfigureBus(cfg);
                cfg.ReceiveEndpoint(options.Queue, endpoint =>
                {
                    RabbitMqTopology.ConfigureEventQueue(endpoint, options.Queue, options);
                    ConfigureEndpoint<PipelineEventConsumer>(endpoint, options, context);
                });
                if (webhooks)
                {
                    var queue = context.GetRequiredService<IOptions<WebhookOptions>>().Value.Queue;
                    cfg.ReceiveEndpoint(queue, endpoint =>
                    {
                        RabbitMqTopology.ConfigureEventQueue(endpoint, queue, options);
                        ConfigureEndpoint<WebhookDeliveryConsumer>(endpoint, options, context);
                    });
                }
            });
        });
        builder.Services.AddOptions<MassTransitHostOptions>().Configure<IOptions<BrokerOptions>>((host, broker) =>
        {
            host.WaitUntilStarted = true;
            host.StartTimeout = broker.Value.StartTimeout;
            host.StopTimeout = TimeSpan.FromSeconds(30);
        });
        return builder;
    }

    private static void ConfigureEndpoint<TConsumer>(IReceiveEndpointConfigurator endpoint, BrokerOptions options, IBusRegistrationContext context)
        where TConsumer : class, IConsumer
    {
        endpoint.PrefetchCount = options.PrefetchCount;
        endpoint.ConcurrentMessageLimit = options.ConcurrentMessageLimit;
        endpoint.UseRawJsonDeserializer(RawSerializerOptions.AnyMessageType, isDefault: true);
        endpoint.ConfigureError(error =>
        {
            error.UseFilter(new FailureReasonHeaderFilter());
            error.UseFilter(new MassTransit.Middleware.GenerateFaultFilter());
            error.UseFilter(new MassTransit.Middleware.ErrorTransportFilter());
        });
        endpoint.ConfigureConsumer<TConsumer>(context);
    }

    private static void ConfigureHost(IRabbitMqBusFactoryConfigurator cfg, Uri url)
    {
        var userInfo = url.UserInfo.Split(':', 2);
        var virtualHost = Uri.UnescapeDataString(url.AbsolutePath.TrimStart('/'));
        var port = url.IsDefaultPort || url.Port <= 0 ? (url.Scheme == "amqps" ? 5671 : 5672) : url.Port;
        cfg.Host(url.Host, (ushort)port, string.IsNullOrEmpty(virtualHost) ? "/" : virtualHost, host =>
        {
            if (userInfo[0].Length > 0)
            {
                host.Username(Uri.UnescapeDataString(userInfo[0]));
                host.Password(userInfo.Length > 1 ? Uri.UnescapeDataString(userInfo[1]) : string.Empty);
            }

            host.PublisherConfirmation = true; // the default, relied on: the ingress answers 202 only after the broker confirmed

            if (url.Scheme == "amqps")
            {
                host.UseSsl(ssl => ssl.ServerName = url.Host);
            }
        });
    }
}

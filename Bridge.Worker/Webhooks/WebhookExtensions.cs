using Microsoft.Extensions.Options;

namespace Bridge.Worker.Webhooks;

internal static class WebhookExtensions
{
    /// <summary>
    /// Bitbucket webhooks: the hooks and their secrets, the ingress endpoint's handler and the queue's processor.
    /// The webhook queue and its consumer exist only when <see cref="WebhookOptions.Hooks"/> lists a hook (see the intake).
    /// </summary>
    public static IHostApplicationBuilder AddWebhooks(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<WebhookOptions>().BindConfiguration(WebhookOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<WebhookOptions>, WebhookOptionsValidator>();
        builder.Services.AddSingleton<WebhookSignatures>();
        builder.Services.AddSingleton<WebhookWorkspaces>();
        builder.Services.AddSingleton<WebhookIngress>();
        builder.Services.AddScoped<WebhookHandler>();
        return builder;
    }
}

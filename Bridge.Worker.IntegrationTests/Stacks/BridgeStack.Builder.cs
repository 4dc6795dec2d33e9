using System.Globalization;
using Bridge.Sandbox.Emulators;
using Bridge.Sandbox.Emulators.Aws;
using Bridge.Sandbox.Emulators.Entra;
using Bridge.Sandbox.Runner;
using Bridge.Tests.Infrastructure;
using Bridge.Worker.Bitbucket;
using Bridge.Worker.Credentials;
using Bridge.Worker.Ingress;
using Bridge.Worker.Correlation;
using Bridge.Worker.Queue;
using Bridge.Worker.Prefect;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Serilog.Core;

namespace Bridge.Tests.Stacks;

internal sealed partial class BridgeStack
{
    /// <summary>
    /// One worker-under-test: routes, typed settings (<see cref="With{TOptions}"/>, applied with <c>PostConfigure</c> after
    /// the worker bound its configuration), and the parts a test needs. Retry delays are short unless a test says otherwise.
    /// </summary>
    internal sealed class Builder
    {
        /// <summary>Bridge's own issuer in the Entra tests, resolved by the Entra emulator to the worker's discovery endpoint.</summary>
        public const string BridgeIssuerUrl = "https://bridge.test/oidc";

        private readonly RabbitMqBroker broker;
        private readonly List<Action<IServiceCollection>> options = [];
        private readonly Dictionary<string, string?> composition = [];
        private string routes = DefaultRoutes;
        private ILoggerProvider? logs;
        private bool verbose;
        private bool ownIssuer;
        private bool ingress;
        private Action<StsEmulator>? sts;
        private bool entra;

        internal Builder(RabbitMqBroker broker)
        {
            this.broker = broker;
            With<BrokerOptions>(o => (o.RetryLimit, o.RetryMinInterval, o.RetryMaxInterval) = (2, TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(200)));
            With<PrefectOptions>(o => o.RetryBaseDelay = TimeSpan.FromMilliseconds(20));
            With<BitbucketOptions>(o => o.RetryBaseDelay = TimeSpan.FromMilliseconds(20));
        }

        /// <summary>The routes file's text; <see cref="DefaultRoutes"/> when not given.</summary>
        public Builder WithRoutes(string yaml)
        {
            routes = yaml;
            return this;
        }

        /// <summary>Changes the worker's <typeparamref name="TOptions"/> after it bound them (and before they are validated).</summary>
        public Builder With<TOptions>(Action<TOptions> configure)
            where TOptions : class
        {
            options.Add(services => services.PostConfigure(configure));
            return this;
        }

        /// <summary>
        /// Settings the worker reads while it is composed, before any options exist (<c>Bridge:Webhooks:Enabled</c> decides
        /// whether the webhook consumer is registered): only for those; everything else goes through <see cref="With{TOptions}"/>.
        /// </summary>
        public Builder WithComposition(IReadOnlyDictionary<string, string?> settings)
        {
            foreach (var (key, value) in settings)
            {
                composition[key] = value;
            }

            return this;
        }

        /// <summary>
        /// The clock of the poll and repair schedules (e.g. a <c>FakeTimeProvider</c> a test moves past an interval); HTTP
        /// timeouts and retries keep real time, so a request in flight when the test moves the clock is not timed out.
        /// </summary>
        public Builder WithScheduleClock(TimeProvider time)
        {
            options.Add(services => services.AddKeyedSingleton(CorrelationOptions.ScheduleClock, time));
            return this;
        }

        /// <summary>Changes to the worker's services (e.g. a test's OpenTelemetry exporter).</summary>
        public Builder WithServices(Action<IServiceCollection> change)
        {
            options.Add(change);
            return this;
        }

        /// <summary>Every worker log line, down to Trace, goes to <paramref name="provider"/>.</summary>
        public Builder WithLogs(ILoggerProvider? provider)
        {
            logs = provider;
            verbose |= provider is not null;
            return this;
        }

        /// <summary>Every worker log event, down to Verbose, goes to <paramref name="sink"/> as Serilog writes it (its trace and span ids too).</summary>
        public Builder WithLogEvents(ILogEventSink sink)
        {
            options.Add(services => services.AddSingleton(sink));
            verbose = true;
            return this;
        }

        /// <summary>
        /// An <c>acme</c> issuer of the test's own (same slug, UUID and issuer URL as <see cref="SampleWorkspace"/>, but its own
        /// keys), so rotating it touches no other test.
        /// </summary>
        public Builder WithOwnIssuer()
        {
            ownIssuer = true;
            return this;
        }

        /// <summary>The ingress on a port of its own (bound to 127.0.0.1), and <see cref="Client"/> for it.</summary>
        public Builder WithIngress()
        {
            ingress = true;
            return this;
        }

        /// <summary>The STS emulator, trusting the sample workspace's issuer; <paramref name="setup"/> adds its roles.</summary>
        public Builder WithSts(Action<StsEmulator>? setup = null)
        {
            sts = setup ?? (_ => { });
            return this;
        }

        /// <summary>
        /// The HTTPS Entra emulator, trusted through a generated certificate file, and Bridge's issuer (<see cref="BridgeIssuerUrl"/>,
        /// a generated key) served by the worker; <c>{{clientId}}</c> in the routes becomes <see cref="ClientId"/>.
        /// </summary>
        public Builder WithEntra()
        {
            entra = true;
            return this;
        }

        public async Task<BridgeStack> StartAsync()
        {
            // The ingress needs a known port (it tells its requests apart by the local port), so a free one is picked and
            // released; another test may take it before Kestrel binds it, so a few fresh ports are tried.
            for (var attempt = 1; ; attempt++)
            {
                var port = ingress ? FreePorts.Next() : (int?)null;
                try
                {
                    return await StartOnceAsync(port);
                }
                catch (IOException ex) when (port is not null && attempt < 5 && ex.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException)
                {
                    // The port was taken in between: try another.
                }
            }
        }

        private async Task<BridgeStack> StartOnceAsync(int? ingressPort)
        {
            var services = new List<Action<IServiceCollection>>(options);
            if (ingressPort is { } port)
            {
                services.Add(s => s.PostConfigure<IngressOptions>(o => (o.Enabled, o.Port, o.BindAddress) = (true, port, "127.0.0.1")));
            }

            var credentials = await StartCredentialEmulatorsAsync(services);
            try
            {
                var worker = ConfigureWorker(services);
                var sandbox = await SandboxStack.StartAsync(
                    new SandboxStackOptions
                    {
                        Transport = BrokerTransport.RabbitMq,
                        BrokerUrl = broker.AmqpUri.ToString(),
                        Queue = $"bridge-test-{Guid.NewGuid():N}",
                        RoutesYaml = credentials.ClientId is { } clientId ? routes.Replace("{{clientId}}", clientId, StringComparison.Ordinal) : routes,
                        Settings = new Dictionary<string, string?>(composition)
                        {
                            ["Serilog:MinimumLevel:Default"] = verbose ? "Verbose" : "Warning",
                        },
                        ConfigureWorker = worker,
                    },
                    CancellationToken.None);
                sandbox.Prefect.AddDeployment("release-flow", "production", parameters: new() { ["environment"] = "prod" }, tags: ["deploy"]);
                sandbox.Prefect.AddDeployment("checks-flow", "default");
                sandbox.Prefect.AddDeployment("docs-flow", "default");
                var issuer = ownIssuer ? sandbox.Bitbucket.Host(new OidcWorkspace(SampleWorkspace.Slug, SampleWorkspace.Uuid, SampleWorkspace.Issuer)) : null;
                if (credentials.Entra is { } emulator)
                {
                    emulator.ResolveIssuer(BridgeIssuerUrl, sandbox.Worker.Urls.First().TrimEnd('/') + new Uri(BridgeIssuerUrl).AbsolutePath);
                    emulator.ResolveIssuer(SampleWorkspace.Issuer, sandbox.Bitbucket.IssuerUrl(SampleWorkspace.Slug));
                }

                return new BridgeStack(sandbox, broker, credentials with { ConfigureWorker = worker, Issuer = issuer, IngressPort = ingressPort });
            }
            catch
            {
                await DisposeAsync(credentials);
                throw;
            }
        }

        private Action<WebApplicationBuilder> ConfigureWorker(IReadOnlyList<Action<IServiceCollection>> services) => builder =>
        {
            if (logs is not null)
            {
                // Serilog hands it every event its minimum level (Verbose with logs) lets through.
                builder.Logging.AddProvider(logs);
            }

            foreach (var configure in services)
            {
                configure(builder.Services);
            }
        };

        private async Task<Started> StartCredentialEmulatorsAsync(List<Action<IServiceCollection>> services)
        {
            var started = new Started(_ => { }, null, null, null, null, null, null);
            if (sts is not null)
            {
                var emulator = await StsEmulator.StartAsync();
                emulator.TrustProvider(SampleWorkspace.Issuer, SampleWorkspace.Oidc.Jwks);
                sts(emulator);
                services.Add(s => s.PostConfigure<CredentialsOptions>(o => (o.Aws.ServiceUrl, o.Aws.RetryBaseDelay) = (emulator.ServiceUrl, TimeSpan.FromMilliseconds(10))));
                started = started with { Sts = emulator };
            }

            if (entra)
            {
                var folder = Directory.CreateTempSubdirectory("bridge-credentials-").FullName;
                var emulator = await EntraEmulator.StartAsync();
                var keyFile = Path.Combine(folder, "issuer.pem");
                await File.WriteAllTextAsync(keyFile, IssuerKeys.NewPem());
                var certificateFile = Path.Combine(folder, "entra-ca.pem");
                await File.WriteAllTextAsync(certificateFile, emulator.CertificatePem);
                services.Add(s => s.PostConfigure<CredentialsOptions>(o =>
                {
                    (o.Azure.AuthorityHost, o.Azure.TrustedCertificateFile, o.Azure.MaxRetries) = (emulator.AuthorityHost, certificateFile, 0);
                    (o.Issuer.Url, o.Issuer.SigningKeyFiles) = (BridgeIssuerUrl, [keyFile]);
                }));
                started = started with { Entra = emulator, Folder = folder, ClientId = Guid.NewGuid().ToString() };
            }

            return started;
        }

        private static async Task DisposeAsync(Started started)
        {
            if (started.Sts is not null)
            {
                await started.Sts.DisposeAsync();
            }

            if (started.Entra is not null)
            {
                await started.Entra.DisposeAsync();
            }

            if (started.Folder is not null)
            {
                Directory.Delete(started.Folder, recursive: true);
            }
        }
    }
}

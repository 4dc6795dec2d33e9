using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Bridge.Worker.Credentials;

internal static class CredentialsExtensions
{
    /// <summary>Registers the per-event cloud credential exchanges (AWS STS, Entra) and Bridge's assertion issuer.</summary>
    public static IHostApplicationBuilder AddCredentials(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<CredentialsOptions>().BindConfiguration(CredentialsOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<CredentialsOptions>, CredentialsOptionsValidator>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<BridgeAssertionIssuer>();
        builder.Services.AddSingleton<AwsCredentialExchange>();
        builder.Services.AddSingleton<AzureCredentialExchange>();
        builder.Services.AddScoped<CredentialExchange>();
        builder.Services
            .AddHttpClient(AzureCredentialExchange.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(sp =>
                TrustedCertificates.Handler(sp.GetRequiredService<IOptions<CredentialsOptions>>().Value.Azure.TrustedCertificateFile))
            .RemoveAllLoggers();
        return builder;
    }

    /// <summary>Bridge's issuer discovery document and JWKS, under the issuer URL's path, when the issuer is configured and served.</summary>
    public static WebApplication MapCredentialEndpoints(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var issuer = app.Services.GetRequiredService<BridgeAssertionIssuer>();
        if (issuer.IsConfigured && app.Services.GetRequiredService<IOptions<CredentialsOptions>>().Value.Issuer.Serve)
        {
            app.MapGet(issuer.DiscoveryPath, () => Results.Text(issuer.Discovery().ToJsonString(), "application/json"));
            app.MapGet(issuer.JwksPath, () => Results.Text(issuer.Jwks().ToJsonString(), "application/json"));
        }

        return app;
    }
}

using Bridge.Worker.Bitbucket;
using Bridge.Worker.Http;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Bridge.Worker.Identity;

internal static class IdentityExtensions
{
    /// <summary>
    /// Registers event verification: the OIDC token against the allow-listed workspaces (<c>Bridge:Identity</c>), the
    /// routes' allow rules, and the commit against Bitbucket's pipeline record.
    /// </summary>
    public static IHostApplicationBuilder AddIdentity(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<IdentityOptions>().BindConfiguration(IdentityOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<IdentityOptions>, IdentityOptionsValidator>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<SigningKeyCache>();
        builder.Services.AddSingleton<ITokenVerifier, OidcTokenVerifier>();
        builder.Services.AddScoped<CommitVerifier>();
        builder.Services.AddScoped<TriggerAdmission>();
        builder.Services.AddHostedService<IdentityStartupLog>();
        builder.Services
            .AddHttpClient(SigningKeyCache.HttpClientName, http => http.Timeout = Timeout.InfiniteTimeSpan)
            .AddUpstreamResilience<BitbucketOptions>(SigningKeyCache.HttpClientName);
        return builder;
    }
}

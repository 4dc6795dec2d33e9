using System.Net.Http.Headers;
using System.Text;
using Bridge.Worker.Http;
using Microsoft.Extensions.Options;

namespace Bridge.Worker.Bitbucket;

internal static class BitbucketExtensions
{
    /// <summary>The client's name in the resilience pipeline, its log category and the key of its <see cref="RequestBudget"/>.</summary>
    public const string Upstream = "bitbucket";

    /// <summary>Registers the typed Bitbucket client configured from <c>Bridge:Bitbucket</c>.</summary>
    public static IHostApplicationBuilder AddBitbucket(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<BitbucketOptions>().BindConfiguration(BitbucketOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<BitbucketOptions>, BitbucketOptionsValidator>();
        builder.Services
            .AddHttpClient<IBitbucketClient, BitbucketClient>((sp, http) =>
            {
                var options = sp.GetRequiredService<IOptions<BitbucketOptions>>().Value;
                http.BaseAddress = new Uri(options.ApiUrl.TrimEnd('/') + "/");
                http.Timeout = Timeout.InfiniteTimeSpan;
                http.DefaultRequestHeaders.Authorization = string.IsNullOrEmpty(options.AccessToken)
                    ? new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{options.Username}:{options.ApiToken}")))
                    : new AuthenticationHeaderValue("Bearer", options.AccessToken);
            })
            .AddUpstreamResilience<BitbucketOptions>(Upstream)
            .AddCredentialWatch(new UpstreamCredential("Bitbucket", $"{BitbucketOptions.Section}:AccessToken or :Username and :ApiToken", ForbiddenRefuses: false));
        return builder;
    }
}

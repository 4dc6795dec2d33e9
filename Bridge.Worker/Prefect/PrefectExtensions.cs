using System.Net.Http.Headers;
using System.Text;
using Bridge.Worker.Http;
using Microsoft.Extensions.Options;

namespace Bridge.Worker.Prefect;

internal static class PrefectExtensions
{
    /// <summary>Prefect's API version Bridge speaks (Prefect 3.8's <c>SERVER_API_VERSION</c>).</summary>
    public const string ApiVersion = "0.8.4";

    /// <summary>Registers the typed Prefect client, its deployment cache and UI links, configured from <c>Bridge:Prefect</c>.</summary>
    public static IHostApplicationBuilder AddPrefect(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<PrefectOptions>().BindConfiguration(PrefectOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<PrefectOptions>, PrefectOptionsValidator>();
        builder.Services.AddSingleton<DeploymentCache>();
        builder.Services.AddSingleton<PrefectUiLinks>();
        builder.Services.AddSingleton<PrefectEventStream>();
        builder.Services
            .AddHttpClient<IPrefectClient, PrefectClient>((sp, http) =>
            {
                var options = sp.GetRequiredService<IOptions<PrefectOptions>>().Value;
                http.BaseAddress = new Uri(options.ApiUrl!.TrimEnd('/') + "/");
                http.Timeout = Timeout.InfiniteTimeSpan;
                http.DefaultRequestHeaders.Add("X-PREFECT-API-VERSION", ApiVersion);
                if (!string.IsNullOrEmpty(options.ApiKey))
                {
                    http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", options.ApiKey);
                }
                else if (!string.IsNullOrEmpty(options.BasicAuth))
                {
                    http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
                        "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(options.BasicAuth)));
                }
            })
            .AddUpstreamResilience<PrefectOptions>("prefect")
            .AddCredentialWatch(new UpstreamCredential("Prefect", $"{PrefectOptions.Section}:ApiKey or :BasicAuth", ForbiddenRefuses: true));
        return builder;
    }
}

using System.Net;
using Microsoft.Extensions.Options;

namespace Bridge.Worker.Prefect;

/// <summary>
/// Links to flow runs in the Prefect UI, derived from the API URL the way Prefect does it
/// (<c>…/api</c> stripped; Cloud's <c>api.</c> host becomes <c>app.</c>, <c>/accounts/</c> becomes <c>/account/</c>)
/// unless <c>Bridge:Prefect:UiUrl</c> overrides it.
/// </summary>
internal sealed class PrefectUiLinks(IOptions<PrefectOptions> options)
{
    private readonly string _base = UiBase(options.Value);

    public Uri FlowRun(Guid flowRunId) => new($"{_base}/runs/flow-run/{flowRunId}");

    public static string UiBase(PrefectOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.UiUrl))
        {
            return options.UiUrl.TrimEnd('/');
        }

        var api = new Uri(options.ApiUrl!);
        var path = api.AbsolutePath.TrimEnd('/');
        if (path.EndsWith("/api", StringComparison.Ordinal))
        {
            path = path[..^4];
        }

        path = path.Replace("/api/", "/", StringComparison.Ordinal)
            .Replace("/accounts/", "/account/", StringComparison.Ordinal)
            .Replace("/workspaces/", "/workspace/", StringComparison.Ordinal);
        var host = api.Host.StartsWith("api.", StringComparison.Ordinal) ? "app." + api.Host[4..] : api.Host;
        var port = api.IsDefaultPort ? string.Empty : $":{api.Port}";
        return $"{api.Scheme}://{host}{port}{path}";
    }

    /// <summary>Why Bitbucket would refuse links to this UI, or null when it would accept them.</summary>
    public static string? Problem(PrefectOptions options)
    {
        var setting = string.IsNullOrWhiteSpace(options.UiUrl) ? "ApiUrl (the UI link is derived from it)" : "UiUrl";
        if (!Uri.TryCreate(UiBase(options), UriKind.Absolute, out var ui) || ui.Scheme is not ("http" or "https"))
        {
            return $"{PrefectOptions.Section}:UiUrl must be an absolute http(s) URL of the Prefect UI, e.g. https://prefect.example.com";
        }

        var acceptable = ui.IsLoopback || IPAddress.TryParse(ui.Host, out _) || ui.Host.Contains('.', StringComparison.Ordinal);
        return acceptable ? null
            : $"{PrefectOptions.Section}:{setting}: Bitbucket refuses status links to a host without a dot ('{ui.Host}'); "
              + $"set {PrefectOptions.Section}:UiUrl to the address people open the Prefect UI at, e.g. https://prefect.example.com";
    }
}

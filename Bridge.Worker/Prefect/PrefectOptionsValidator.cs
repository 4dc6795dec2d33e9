using Microsoft.Extensions.Options;

namespace Bridge.Worker.Prefect;

internal sealed class PrefectOptionsValidator : IValidateOptions<PrefectOptions>
{
    private const string S = PrefectOptions.Section;

    public ValidateOptionsResult Validate(string? name, PrefectOptions options)
    {
        var errors = options.ValidateUpstream(S).ToList();
        if (!Uri.TryCreate(options.ApiUrl, UriKind.Absolute, out var api) || api.Scheme is not ("http" or "https"))
        {
            errors.Add($"{S}:ApiUrl is required: the Prefect API base URL, e.g. http://prefect.example.com:4200/api "
                + "or https://api.prefect.cloud/api/accounts/{account}/workspaces/{workspace}");
        }

        else if (IsCloudWorkspace(api) && string.IsNullOrEmpty(options.ApiKey))
        {
            errors.Add($"{S}:ApiKey is required: {S}:ApiUrl is a Prefect Cloud workspace ({api.Host}{api.AbsolutePath}), "
                + "which refuses every request without an API key");
        }

        if (!string.IsNullOrEmpty(options.ApiKey) && !string.IsNullOrEmpty(options.BasicAuth))
        {
            errors.Add($"{S}:ApiKey and {S}:BasicAuth are both set; set ApiKey for Prefect Cloud or BasicAuth for a server with an auth string, not both");
        }

        if (!string.IsNullOrEmpty(options.BasicAuth) && !options.BasicAuth.Contains(':', StringComparison.Ordinal))
        {
            errors.Add($"{S}:BasicAuth must be 'user:password' (the server's PREFECT_SERVER_API_AUTH_STRING)");
        }

        if (options.DeploymentCacheTtl < TimeSpan.Zero)
        {
            errors.Add($"{S}:DeploymentCacheTtl must not be negative, e.g. 00:05:00");
        }

        if (errors.Count == 0 && PrefectUiLinks.Problem(options) is { } problem)
        {
            errors.Add(problem);
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>Prefect Cloud's API host, or a workspace path (<c>/api/accounts/{id}/workspaces/{id}</c>) behind a proxy.</summary>
    private static bool IsCloudWorkspace(Uri api) =>
        api.Host.Equals("api.prefect.cloud", StringComparison.OrdinalIgnoreCase)
        || api.AbsolutePath.Contains("/accounts/", StringComparison.Ordinal) && api.AbsolutePath.Contains("/workspaces/", StringComparison.Ordinal);
}

using Bridge.Worker.Bitbucket;
using Microsoft.Extensions.Options;

namespace Bridge.Worker.Identity;

internal sealed class IdentityOptionsValidator : IValidateOptions<IdentityOptions>
{
    private const string S = IdentityOptions.Section;

    public ValidateOptionsResult Validate(string? name, IdentityOptions options)
    {
        var errors = new List<string>();
        if (options.Workspaces.Count == 0)
        {
            errors.Add($"{S}:Workspaces must list at least one workspace whose pipelines may publish events, e.g. "
                + $"{S}:Workspaces:acme:Uuid={{922e118c-f34f-4226-a897-0e0afbec553d}}");
        }

        foreach (var (slug, workspace) in options.Workspaces)
        {
            var at = $"{S}:Workspaces:{slug}";
            if (workspace.Uuid is null || !BitbucketUuid.IsBraced(workspace.Uuid))
            {
                errors.Add($"{at}:Uuid must be the workspace UUID in braces, e.g. {{922e118c-f34f-4226-a897-0e0afbec553d}} (got '{workspace.Uuid}')");
            }

            if (workspace.Audiences.Any(a => string.IsNullOrWhiteSpace(a) || a.Length > 150))
            {
                errors.Add($"{at}:Audiences: each audience must be 1–150 characters (Bitbucket's limit)");
            }

            CheckUrl(workspace.IssuerFor(slug), $"{at}:Issuer", options.AllowInsecureHttp, errors);
            CheckUrl(workspace.DiscoveryUrlFor(slug), $"{at}:DiscoveryUrl", options.AllowInsecureHttp, errors);
        }

        if (options.ClockSkew < TimeSpan.Zero || options.ClockSkew > TimeSpan.FromMinutes(5))
        {
            errors.Add($"{S}:ClockSkew must be between 00:00:00 and 00:05:00 (got {options.ClockSkew})");
        }

        if (options.KeyRefreshMinInterval < TimeSpan.Zero)
        {
            errors.Add($"{S}:KeyRefreshMinInterval must not be negative, e.g. 00:00:30");
        }

        if (options.KeyCacheLifetime <= TimeSpan.Zero)
        {
            errors.Add($"{S}:KeyCacheLifetime must be positive, e.g. 12:00:00");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void CheckUrl(string value, string setting, bool allowHttp, List<string> errors)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var url) || url.Scheme is not ("https" or "http"))
        {
            errors.Add($"{setting} must be an absolute https URL (got '{value}')");
        }
        else if (url.Scheme == "http" && !allowHttp)
        {
            errors.Add($"{setting} must use https (got '{value}'); plain http is only for development, with {S}:AllowInsecureHttp=true");
        }
    }

}

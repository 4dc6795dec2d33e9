using Microsoft.Extensions.Options;

namespace Bridge.Worker.Bitbucket;

internal sealed class BitbucketOptionsValidator : IValidateOptions<BitbucketOptions>
{
    private const string S = BitbucketOptions.Section;

    public ValidateOptionsResult Validate(string? name, BitbucketOptions options)
    {
        var errors = options.ValidateUpstream(S).ToList();
        if (!Uri.TryCreate(options.ApiUrl, UriKind.Absolute, out var api) || api.Scheme is not ("http" or "https"))
        {
            errors.Add($"{S}:ApiUrl must be an absolute http(s) URL, e.g. https://api.bitbucket.org/2.0");
        }

        var hasToken = !string.IsNullOrEmpty(options.AccessToken);
        var hasUser = !string.IsNullOrEmpty(options.Username);
        var hasApiToken = !string.IsNullOrEmpty(options.ApiToken);
        if (hasToken && (hasUser || hasApiToken))
        {
            errors.Add($"{S}: set either AccessToken, or Username with ApiToken, not both");
        }
        else if (!hasToken && !(hasUser && hasApiToken))
        {
            errors.Add(hasUser || hasApiToken
                ? $"{S}:Username and {S}:ApiToken go together: set both (e-mail and API token) or use {S}:AccessToken"
                : $"{S}:AccessToken is required (or {S}:Username with {S}:ApiToken): Bridge posts build statuses with its own credential");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}

using Bridge.Worker.Bitbucket;
using Microsoft.Extensions.Options;

namespace Bridge.Worker.Webhooks;

internal sealed class WebhookOptionsValidator : IValidateOptions<WebhookOptions>
{
    /// <summary>Shorter secrets are too easy to guess; Bitbucket's own generated secrets are longer.</summary>
    public const int MinSecretLength = 16;

    public ValidateOptionsResult Validate(string? name, WebhookOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        var seen = new HashSet<BitbucketUuid>();
        for (var i = 0; i < options.Hooks.Count; i++)
        {
            var at = $"{WebhookOptions.Section}:Hooks:{i}";
            var hook = options.Hooks[i];
            if (!BitbucketUuid.TryParse(hook.Uuid, out var uuid))
            {
                errors.Add($"{at}:Uuid must be the webhook's UUID as Bitbucket shows it (X-Hook-UUID), e.g. {{8d0c0b1e-…}}.");
            }
            else if (!seen.Add(uuid))
            {
                errors.Add($"{at}:Uuid names the same webhook as an earlier entry.");
            }

            if (string.IsNullOrEmpty(hook.Secret) || hook.Secret.Length < MinSecretLength)
            {
                errors.Add($"{at}:Secret must be the webhook's secret, at least {MinSecretLength} characters (Bitbucket can generate one).");
            }
        }

        if (string.IsNullOrWhiteSpace(options.Queue))
        {
            errors.Add($"{WebhookOptions.Section}:Queue must name a queue (default bridge-webhook-deliveries).");
        }

        if (options.MaxBodyBytes is < 1024 or > 16 * 1024 * 1024)
        {
            errors.Add($"{WebhookOptions.Section}:MaxBodyBytes must be from 1024 to 16777216 bytes (e.g. 524288), not {options.MaxBodyBytes}.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

}

using Bridge.Worker.Webhooks;

namespace Bridge.Tests.Webhooks;

/// <summary>Bridge:Webhooks is validated at start with messages naming the setting, never quoting a secret.</summary>
public sealed class WebhookSettingsTests
{
    [Fact]
    public void No_hooks_is_valid_and_means_webhooks_are_off()
    {
        var options = new WebhookOptions();

        Assert.True(new WebhookOptionsValidator().Validate(null, options).Succeeded);
        Assert.False(options.Enabled);
    }

    [Fact]
    public void Wrong_hook_settings_are_each_named_without_the_secret()
    {
        var options = new WebhookOptions
        {
            Hooks =
            [
                new WebhookHookOptions { Uuid = "my-hook", Secret = "tiny" },
                new WebhookHookOptions { Uuid = WebhookSamples.HookUuid, Secret = WebhookSamples.Secret },
                new WebhookHookOptions { Uuid = WebhookSamples.HookUuid.Trim('{', '}').ToUpperInvariant(), Secret = WebhookSamples.Secret },
            ],
            Queue = " ",
            MaxBodyBytes = 10,
        };

        var failures = new WebhookOptionsValidator().Validate(null, options).Failures!.ToList();

        Assert.Contains(failures, f => f.StartsWith("Bridge:Webhooks:Hooks:0:Uuid must", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Bridge:Webhooks:Hooks:0:Secret must", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Bridge:Webhooks:Hooks:2:Uuid names the same webhook", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Bridge:Webhooks:Queue must", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Bridge:Webhooks:MaxBodyBytes must", StringComparison.Ordinal));
        Assert.DoesNotContain(failures, f => f.Contains("tiny", StringComparison.Ordinal) || f.Contains(WebhookSamples.Secret, StringComparison.Ordinal));
    }
}

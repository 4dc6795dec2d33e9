using Bridge.Worker.Ingress;

namespace Bridge.Tests.Ingress;

/// <summary>Bridge:Ingress is validated at start (only when enabled) with messages naming the setting.</summary>
public sealed class IngressSettingsTests
{
    [Fact]
    public void Disabled_ingress_is_not_checked()
    {
        var result = new IngressOptionsValidator().Validate(null, new IngressOptions { Enabled = false, Port = 0 });

        Assert.True(result.Succeeded);
    }

    [Fact]
    public void Wrong_settings_of_an_enabled_ingress_are_each_named()
    {
        var options = new IngressOptions
        {
            Enabled = true,
            Port = 0,
            BindAddress = "everywhere",
            MaxBodyBytes = 10,
            PermitsPerRepository = 0,
            RateLimitWindow = TimeSpan.Zero,
        };

        var result = new IngressOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        foreach (var setting in new[] { "Port", "BindAddress", "MaxBodyBytes", "PermitsPerRepository", "RateLimitWindow" })
        {
            Assert.Contains(result.Failures!, f => f.StartsWith($"Bridge:Ingress:{setting} must", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Defaults_of_an_enabled_ingress_are_valid()
    {
        Assert.True(new IngressOptionsValidator().Validate(null, new IngressOptions { Enabled = true }).Succeeded);
    }
}

using System.Text.Json.Nodes;
using Bridge.Worker.Correlation;
using Bridge.Worker.Routing;

namespace Bridge.Tests.Correlation;

public sealed class CorrelationSettingsTests
{
    [Fact]
    public void Defaults_are_valid()
    {
        Assert.True(new CorrelationOptionsValidator().Validate(null, new CorrelationOptions()).Succeeded);
    }

    [Fact]
    public void Invalid_settings_are_refused_with_messages_naming_them()
    {
        var result = new CorrelationOptionsValidator().Validate(null, new CorrelationOptions
        {
            PollInterval = TimeSpan.Zero,
            WatermarkVariable = "Bridge.Watermark",
            CallbackSecret = "short",
            ReconnectMaxDelay = TimeSpan.FromMilliseconds(1),
        });

        Assert.True(result.Failed);
        var failures = string.Join('\n', result.Failures!);
        Assert.Contains("Bridge:Correlation:PollInterval must be positive", failures, StringComparison.Ordinal);
        Assert.Contains("Bridge:Correlation:WatermarkVariable", failures, StringComparison.Ordinal);
        Assert.Contains("Bridge:Correlation:CallbackSecret must be at least 16 characters", failures, StringComparison.Ordinal);
        Assert.Contains("Bridge:Correlation:ReconnectMaxDelay", failures, StringComparison.Ordinal);
    }

    [Fact]
    public void Route_opts_in_to_cancelling_superseded_runs_and_a_non_boolean_is_refused()
    {
        static JsonNode Routes(string value) => JsonNode.Parse($$"""
            {"routes": [{"name": "checks", "match": {"events": ["merge"]}, "deployment": "checks/default", "cancelSuperseded": {{value}} }]}
            """)!;

        var (routes, errors) = RouteFile.Read(Routes("true"), "routes.yaml");
        var (_, invalid) = RouteFile.Read(Routes("\"yes please\""), "routes.yaml");
        var (plain, _) = RouteFile.Read(JsonNode.Parse("""{"routes": [{"name": "a", "match": {"events": ["tag"]}, "deployment": "f/d"}]}"""), "routes.yaml");

        Assert.Empty(errors);
        Assert.True(Assert.Single(routes).CancelSuperseded);
        Assert.False(Assert.Single(plain).CancelSuperseded);
        Assert.Contains(invalid, e => e.Contains("cancelSuperseded: must be true or false", StringComparison.Ordinal));
    }
}

using Bridge.Worker.Prefect;
using Microsoft.Extensions.Options;

namespace Bridge.Tests.Unit;

public sealed class PrefectUiLinksTests
{
    private static readonly Guid RunId = Guid.Parse("e3755d32-cec5-42ca-9bcd-af236e308ba6");

    [Theory]
    [InlineData("http://prefect.example.com:4200/api", null, "http://prefect.example.com:4200/runs/flow-run/")]
    [InlineData("https://api.prefect.cloud/api/accounts/a1/workspaces/w1", null, "https://app.prefect.cloud/account/a1/workspace/w1/runs/flow-run/")]
    [InlineData("http://prefect:4200/api", "https://prefect.example.com/", "https://prefect.example.com/runs/flow-run/")]
    public void Links_follow_prefects_own_ui_url_rules(string apiUrl, string? uiUrl, string expected)
    {
        var links = new PrefectUiLinks(Options.Create(new PrefectOptions { ApiUrl = apiUrl, UiUrl = uiUrl }));

        Assert.Equal(expected + RunId, links.FlowRun(RunId).ToString());
    }

    [Fact]
    public void A_ui_host_without_a_dot_is_refused_at_start_because_bitbucket_would_refuse_the_links()
    {
        var result = new PrefectOptionsValidator().Validate(null, new PrefectOptions { ApiUrl = "http://prefect-server:4200/api" });

        Assert.True(result.Failed);
        Assert.Contains("Bridge:Prefect:UiUrl", result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://api.prefect.cloud/api/accounts/a1/workspaces/w1", null, true)]
    [InlineData("https://prefect-proxy.example.com/api/accounts/a1/workspaces/w1", null, true)]
    [InlineData("https://api.prefect.cloud/api/accounts/a1/workspaces/w1", "pnu_key", false)]
    [InlineData("http://prefect.example.com:4200/api", null, false)]
    public void A_prefect_cloud_workspace_without_an_api_key_is_refused_at_start(string apiUrl, string? apiKey, bool refused)
    {
        var result = new PrefectOptionsValidator().Validate(null, new PrefectOptions { ApiUrl = apiUrl, ApiKey = apiKey });

        Assert.Equal(refused, result.Failed);
        Assert.Equal(refused, result.FailureMessage?.Contains("Bridge:Prefect:ApiKey is required", StringComparison.Ordinal) == true);
    }

    [Fact]
    public void A_missing_api_url_is_named()
    {
        var result = new PrefectOptionsValidator().Validate(null, new PrefectOptions());

        Assert.Contains("Bridge:Prefect:ApiUrl is required", result.FailureMessage, StringComparison.Ordinal);
    }
}

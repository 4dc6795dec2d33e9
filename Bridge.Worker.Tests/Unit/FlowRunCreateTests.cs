using System.Text.Json.Nodes;
using Bridge.Worker.Prefect;

namespace Bridge.Tests.Unit;

public sealed class FlowRunCreateTests
{
    [Fact]
    public void A_flow_run_request_prints_without_its_job_variables()
    {
        var request = new CreateFlowRunRequest
        {
            Name = "api-v1-abc1234",
            Parameters = [],
            Tags = [],
            Labels = new Dictionary<string, string>(),
            IdempotencyKey = "bridge:k",
            JobVariables = new JsonObject { ["env"] = new JsonObject { ["AWS_SECRET_ACCESS_KEY"] = "wJalrXUtnFEMI-secret" } },
        };

        Assert.DoesNotContain("wJalrXUtnFEMI-secret", request.ToString(), StringComparison.Ordinal);
        Assert.Contains("JobVariables = ***", request.ToString(), StringComparison.Ordinal);
    }
}

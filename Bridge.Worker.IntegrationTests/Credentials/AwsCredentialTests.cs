using Bridge.Sandbox.Emulators;
using Bridge.Tests.EndToEnd;
using Bridge.Tests.Infrastructure;
using Bridge.Tests.Support;
using Bridge.Worker.Bitbucket;

namespace Bridge.Tests.Credentials;

/// <summary>AWS credentials through the real broker, the worker and the STS emulator.</summary>
[Collection(BrokerCollection.Name)]
public sealed class AwsCredentialTests(RabbitMqBrokerFixture fixture)
{
    [Fact]
    public async Task Two_repositories_on_one_route_concurrently_get_the_credentials_their_own_tokens_earned()
    {
        await using var stack = await CredentialRoutes.Stack(fixture.Broker).StartAsync();
        var api = CredentialRoutes.Tag("aws-1", "acme/api");
        var web = CredentialRoutes.Tag("aws-1", "acme/web");

        await Task.WhenAll(stack.SendAsync(api, CancellationToken.None), stack.SendAsync(web, CancellationToken.None));
        await stack.Prefect.WaitForAsync(() => stack.Prefect.FlowRuns.Count == 2, BridgeStack.Deadline);

        foreach (var message in new[] { api, web })
        {
            var run = Assert.Single(stack.Prefect.FlowRuns, r => r.Labels["bridge.repository-uuid"]!.GetValue<string>() == message.Repository.Uuid);
            var env = run.JobVariables["env"]!.AsObject();
            var earned = Assert.Single(stack.Sts.Issued, i => i.Subject == $"{message.Repository.Uuid}:{message.StepUuid}");
            Assert.Equal(earned.AccessKeyId, env["AWS_ACCESS_KEY_ID"]!.GetValue<string>());
            Assert.Equal(earned.SecretAccessKey, env["AWS_SECRET_ACCESS_KEY"]!.GetValue<string>());
            Assert.Equal(earned.SessionToken, env["AWS_SESSION_TOKEN"]!.GetValue<string>());
            Assert.Equal("eu-west-1", env["AWS_REGION"]!.GetValue<string>());
            Assert.DoesNotContain(earned.SecretAccessKey, run.Parameters.ToJsonString(), StringComparison.Ordinal);
            Assert.DoesNotContain(earned.SessionToken, run.Labels.ToJsonString(), StringComparison.Ordinal);
            Assert.DoesNotContain(run.Tags, t => t.Contains(earned.AccessKeyId, StringComparison.Ordinal));
        }

        Assert.NotEqual(stack.Sts.Issued[0].AccessKeyId, stack.Sts.Issued[1].AccessKeyId);
        var call = stack.Sts.Calls[0];
        Assert.Equal(900, call.DurationSeconds);
        Assert.Equal(["arn:aws:iam::aws:policy/ReadOnlyAccess"], call.PolicyArns);
        Assert.Contains("s3:GetObject", call.Policy, StringComparison.Ordinal);
        Assert.Contains(stack.Sts.Calls, c => c.RoleSessionName == "api.128");
        Assert.Contains(stack.Sts.Calls, c => c.RoleSessionName == "web.128");
    }

    [Fact]
    public async Task Trust_policy_that_does_not_match_the_repository_posts_FAILED_with_the_reason_and_starts_no_run()
    {
        await using var stack = await CredentialRoutes.Stack(fixture.Broker).StartAsync();
        var message = CredentialRoutes.Tag("api-2", "acme/web");

        await stack.SendAsync(message, CancellationToken.None);
        var dead = Assert.Single(await DeadLetters.TakeAsync(fixture.Broker, stack.Queue));

        Assert.Contains("AWS refused role", dead.FaultMessage, StringComparison.Ordinal);
        await stack.WaitForAcceptedStatusesAsync();
        var status = Assert.Single(stack.Bitbucket.Statuses);
        Assert.Equal(BuildState.Failed, status.State);
        Assert.Equal($"AWS refused role {CredentialRoutes.ApiOnlyRole} for this repository (AccessDenied)", status.Description);
        Assert.Equal(message.Commit, status.Commit);
        Assert.Equal("Deploy API", status.Name);
        Assert.Empty(stack.Prefect.FlowRuns);
    }

    [Fact]
    public async Task IDPCommunicationError_twice_then_success_starts_one_run()
    {
        await using var stack = await CredentialRoutes.Stack(fixture.Broker).StartAsync();
        stack.Sts.FailNext("IDPCommunicationError", 2);

        await stack.SendAsync(CredentialRoutes.Tag("aws-3"), CancellationToken.None);
        await stack.WaitForAcceptedStatusesAsync();

        Assert.Single(stack.Prefect.FlowRuns);
        Assert.Equal(["IDPCommunicationError", "IDPCommunicationError", null], stack.Sts.Calls.Select(c => c.ErrorCode));
        Assert.All(stack.Sts.Calls, c => Assert.Equal(1, c.Attempt)); // the SDK's own retries are off: every attempt is Bridge's
        Assert.Single(stack.Sts.Issued);
    }

    [Fact]
    public async Task AccessDenied_is_asked_exactly_once()
    {
        await using var stack = await CredentialRoutes.Stack(fixture.Broker).StartAsync();
        stack.Sts.FailNext("AccessDenied", 5);

        await stack.SendAsync(CredentialRoutes.Tag("aws-4"), CancellationToken.None);
        var dead = Assert.Single(await DeadLetters.TakeAsync(fixture.Broker, stack.Queue));

        Assert.Contains("(AccessDenied)", dead.FaultMessage, StringComparison.Ordinal);
        Assert.Single(stack.Sts.Calls);
        Assert.Empty(stack.Prefect.FlowRuns);
    }
}

using System.Text;
using System.Text.Json.Nodes;
using Bridge.Contracts;
using Bridge.Tests.Support;
using Bridge.Worker.Webhooks;

namespace Bridge.Tests.Webhooks;

public sealed class WebhookPayloadTests
{
    [Fact]
    public void Tag_push_is_a_tag_event_at_the_pushed_commit()
    {
        var commit = SampleEvents.Sha();

        var payload = Parse(WebhookPayload.Push, WebhookSamples.Push("tag", "v2.1.0", commit));

        var change = Assert.Single(payload.Changes);
        Assert.Equal(new WebhookChange(EventKind.Tag, new GitRef { Name = "v2.1.0", Type = RefType.Tag }, commit, null), change);
        Assert.False(change.CommitIsAbbreviated);
        Assert.Equal("acme/api", payload.Repository.FullName);
        Assert.Equal(SampleEvents.RepositoryUuid, payload.Repository.Uuid);
        Assert.Equal(SampleEvents.WorkspaceUuid, payload.Workspace.Uuid);
        Assert.Equal("acme", payload.Workspace.Slug);
    }

    [Fact]
    public void Branch_push_counts_as_a_merge_into_the_branch()
    {
        var change = Assert.Single(Parse(WebhookPayload.Push, WebhookSamples.Push("branch", "main", SampleEvents.Sha())).Changes);

        Assert.Equal(EventKind.Merge, change.Kind);
        Assert.Equal(new GitRef { Name = "main", Type = RefType.Branch }, change.Ref);
    }

    [Fact]
    public void Deleted_ref_yields_no_change_and_says_why()
    {
        var body = JsonNode.Parse(WebhookSamples.Push("tag", "v1", SampleEvents.Sha()))!;
        body["push"]!["changes"]![0]!["new"] = null;

        var payload = Parse(WebhookPayload.Push, body.ToJsonString());

        Assert.Empty(payload.Changes);
        Assert.Contains("deleted", Assert.Single(payload.Skipped), StringComparison.Ordinal);
    }

    [Fact]
    public void Push_of_several_refs_yields_one_change_each()
    {
        var body = JsonNode.Parse(WebhookSamples.Push("tag", "v1", SampleEvents.Sha()))!;
        var changes = body["push"]!["changes"]!.AsArray();
        var second = changes[0]!.DeepClone();
        second["new"]!["type"] = "branch";
        second["new"]!["name"] = "main";
        changes.Add(second);

        var payload = Parse(WebhookPayload.Push, body.ToJsonString());

        Assert.Equal(["v1", "main"], payload.Changes.Select(c => c.Ref.Name));
    }

    [Fact]
    public void Merged_pull_request_is_a_merge_into_its_destination_at_the_abbreviated_merge_commit()
    {
        var commit = SampleEvents.Sha();

        var change = Assert.Single(Parse(WebhookPayload.PullRequestFulfilled, WebhookSamples.PullRequestFulfilled(7, commit, "release")).Changes);

        Assert.Equal(EventKind.Merge, change.Kind);
        Assert.Equal("release", change.Ref.Name);
        Assert.Equal(commit[..12], change.Commit);
        Assert.True(change.CommitIsAbbreviated);
        Assert.Equal(7, change.PullRequestId);
    }

    [Theory]
    [InlineData("repository", "full_name", "repository.full_name")]
    [InlineData("repository", "uuid", "repository.uuid")]
    [InlineData("push", "changes", "push.changes")]
    public void Missing_field_is_named(string parent, string field, string expected)
    {
        var body = JsonNode.Parse(WebhookSamples.Push("tag", "v1", SampleEvents.Sha()))!;
        body[parent]!.AsObject().Remove(field);

        var error = Refusal(WebhookPayload.Push, body.ToJsonString());

        Assert.Equal(expected, error.Field);
        Assert.Equal(WebhookRejectReasons.InvalidPayload, error.ToRejection().Reason);
    }

    [Fact]
    public void Hash_that_is_not_hexadecimal_is_refused()
    {
        var error = Refusal(WebhookPayload.Push, WebhookSamples.Push("tag", "v1", "not-a-hash"));

        Assert.Equal("push.changes[0].new.target.hash", error.Field);
    }

    [Fact]
    public void Pull_request_without_merge_commit_is_refused()
    {
        var body = JsonNode.Parse(WebhookSamples.PullRequestFulfilled(3, SampleEvents.Sha()))!;
        body["pullrequest"]!.AsObject().Remove("merge_commit");

        Assert.Equal("pullrequest.merge_commit", Refusal(WebhookPayload.PullRequestFulfilled, body.ToJsonString()).Field);
    }

    [Fact]
    public void Body_that_is_not_json_is_refused()
    {
        Assert.Equal("$", Refusal(WebhookPayload.Push, "<xml/>").Field);
    }

    private static WebhookPayload Parse(string eventKey, string body)
    {
        var (payload, invalid) = WebhookPayload.Read(eventKey, Encoding.UTF8.GetBytes(body));
        return payload ?? throw new Xunit.Sdk.XunitException($"refused at {invalid!.Field}: {invalid.Why}");
    }

    private static InvalidWebhook Refusal(string eventKey, string body)
    {
        var (payload, invalid) = WebhookPayload.Read(eventKey, Encoding.UTF8.GetBytes(body));
        Assert.Null(payload);
        return Assert.IsType<InvalidWebhook>(invalid);
    }
}

using Bridge.Contracts;
using Bridge.Worker.Webhooks;
using static Bridge.Tests.Captures.CaptureAssert;

namespace Bridge.Tests.Captures;

/// <summary>
/// <see cref="WebhookPayload.Parse"/> on real Bitbucket Cloud bodies (Captures/README.md): what each capture says
/// changed is what Bridge reads, with no broker involved.
/// </summary>
public sealed class WebhookCaptureTests
{
    [Fact]
    public void Push_with_several_changes_yields_every_change_in_order_with_the_tag_third()
    {
        var payload = Parse(WebhookPayload.Push, "jenkins-events-multipleChangesPayload.json");

        Same(3, payload.Changes.Count, "changes read from the three-change push (a parser reading only changes[0] misses the tag)");
        Same(new WebhookChange(EventKind.Merge, Branch("main"), "325d37697849f4b1fe42cb19c20134af08e03a82", null), payload.Changes[0], "change 1 (branch main updated)");
        Same(new WebhookChange(EventKind.Merge, Branch("manchu"), "e22fcb49645b4586a845938afac5eb3ac1950586", null), payload.Changes[1], "change 2 (branch manchu created)");
        Same(new WebhookChange(EventKind.Tag, Tag("v0.1"), "1986c228494671574242f99b62d1a00a4bfb69a5", null), payload.Changes[2], "change 3 (tag v0.1 created, commits: [])");
        Same(0, payload.Skipped.Count, "changes skipped in the three-change push");
    }

    [Theory]
    [InlineData("jenkins-cloud-tag_created.json", "simple-tag", "7ef5981d59145c3ed300b1ab77b93907d33abe59")]
    [InlineData("semaphore-push_lightweight_tag.json", "v1.4-lw", "a142ea5ce41c954305f375a04f670ea096c54f75")]
    [InlineData("smalot-push-tag-body.json", "v0.1", "6a3e33dc6f89c43ec5e0cd9d98901dabfd1352d4")]
    public void Lightweight_tag_push_is_a_tag_event_with_the_bare_tag_name_at_its_full_commit(string capture, string tag, string commit) =>
        AssertTagCreated(capture, tag, commit);

    [Theory]
    [InlineData("jenkins-cloud-annotated_tag_created.json", "test-tag", "7ef5981d59145c3ed300b1ab77b93907d33abe59")]
    [InlineData("semaphore-push_annotated_tags.json", "v1.4", "a142ea5ce41c954305f375a04f670ea096c54f75")]
    [InlineData("jenkins-events-newTagPayload.json", "test", "fee1dcdb330d1318502f303ccd4792531c28dc8e")]
    public void Annotated_tag_push_is_a_tag_event_at_the_peeled_commit_not_the_tag_object(string capture, string tag, string commit) =>
        AssertTagCreated(capture, tag, commit);

    [Theory]
    [InlineData("jenkins-cloud-tag_created.json", "jenkins-cloud-annotated_tag_created.json")]
    [InlineData("semaphore-push_lightweight_tag.json", "semaphore-push_annotated_tags.json")]
    public void Annotated_and_lightweight_tags_of_one_commit_name_the_same_commit(string lightweight, string annotated)
    {
        var light = Assert.Single(Parse(WebhookPayload.Push, lightweight).Changes);
        var heavy = Assert.Single(Parse(WebhookPayload.Push, annotated).Changes);

        Same(light.Commit, heavy.Commit, $"commit of the annotated tag in {annotated} against the lightweight tag of the same commit in {lightweight}");
        Same(light.Kind, heavy.Kind, $"event kind of {annotated} against {lightweight}");
    }

    [Fact]
    public void Empty_push_yields_no_change_and_is_not_an_error()
    {
        var payload = Parse(WebhookPayload.Push, "jenkins-events-emptyPayload.json");

        Same(0, payload.Changes.Count, "changes read from a push with \"changes\": []");
        Same(0, payload.Skipped.Count, "changes skipped in a push with \"changes\": []");
        Same("cloudbeers/temp", payload.Repository.FullName, "repository of the empty push");
    }

    [Theory]
    [InlineData("jenkins-cloud-tag_deleted.json")]
    [InlineData("jenkins-cloud-branch_deleted.json")]
    [InlineData("semaphore-branch_deletion.json")]
    [InlineData("arol-2023-05-16-123736.json")]
    public void Deleted_ref_yields_no_change_and_is_reported_as_skipped(string capture)
    {
        var payload = Parse(WebhookPayload.Push, capture);

        Same(0, payload.Changes.Count, $"changes read from the ref deletion {capture} (new: null, closed: true); a deletion must start nothing");
        var skipped = Assert.Single(payload.Skipped);
        That(skipped.Contains("deleted", StringComparison.Ordinal), $"the skip reason of {capture} should say the ref was deleted, got '{skipped}'");
    }

    [Theory]
    [InlineData("arol-2023-05-12-134550.json", 6, "main", "6ca069123978")]
    [InlineData("arol-2023-05-16-123737.json", 7, "main", "148aa469ac34")]
    [InlineData("jenkins-events-fulfilledPayload.json", 2, "main", "1986c2284946")]
    [InlineData("go-playground-pull-request-merged.json", 1, "master", "764413d85e29")]
    public void Merged_pull_request_is_a_merge_into_its_destination_at_the_12_character_merge_commit_marked_abbreviated(
        string capture, long id, string destination, string mergeCommit)
    {
        var change = Assert.Single(Parse(WebhookPayload.PullRequestFulfilled, capture).Changes);

        Same(new WebhookChange(EventKind.Merge, Branch(destination), mergeCommit, id), change, $"the change read from {capture}");
        That(change.CommitIsAbbreviated, $"the 12-character merge commit of {capture} must be marked abbreviated, so it is expanded through GET commit before use");
    }

    [Theory]
    [InlineData("arol-2023-05-12-134549.json", "arol-2023-05-12-134550.json")]
    [InlineData("arol-2023-05-16-123735.json", "arol-2023-05-16-123737.json")]
    public void Merge_push_and_its_fulfilled_event_name_one_commit_full_and_abbreviated(string push, string fulfilled)
    {
        var pushed = Assert.Single(Parse(WebhookPayload.Push, push).Changes);
        var merged = Assert.Single(Parse(WebhookPayload.PullRequestFulfilled, fulfilled).Changes);

        Same(40, pushed.Commit.Length, $"length of the merge push's hash in {push}");
        That(pushed.Commit.StartsWith(merged.Commit, StringComparison.Ordinal),
            $"{fulfilled}'s merge commit {merged.Commit} should be the prefix of {push}'s {pushed.Commit}: one merge, reported twice");
        Same(pushed.Ref, merged.Ref, $"branch of {push} against the destination of {fulfilled}");
    }

    [Theory]
    [InlineData("arol-2023-05-12-134550.json", "arolgroup", "{1e7c0659-6a7e-4a19-807b-5934bf6d9b31}", "arolgroup/j0664-ns2-firmware", "{1d29d34f-f8a1-4c3d-8269-f5d46bb6ca43}")]
    [InlineData("semaphore-push_annotated_tags.json", "milana_stojadinov", "{53c5afd4-936e-4ded-9b8a-398f527a33c9}", "milana_stojadinov/elixir-project", "{730ede8d-c0de-4f85-aef1-133881a9624f}")]
    [InlineData("jenkins-events-multipleChangesPayload.json", "cloudbeers", "{5e429024-1f85-425f-8955-8af0c35d1b41}", "cloudbeers/temp", "{708c9715-0ecc-4a5d-87ed-63c4ba48ea06}")]
    [InlineData("smalot-push-tag-body.json", "smalot", "{318ecf6b-0bc5-4e1b-8666-886523a447e1}", "smalot/repo-test-1", "{6c66efe6-ec7b-4bda-a1cd-393d87c63afd}")]
    public void Workspace_and_repository_are_read_from_the_payload_even_without_repository_workspace(
        string capture, string slug, string workspaceUuid, string fullName, string repositoryUuid)
    {
        var eventKey = capture.StartsWith("arol-2023-05-12-134550", StringComparison.Ordinal) ? WebhookPayload.PullRequestFulfilled : WebhookPayload.Push;
        var payload = Parse(eventKey, capture);

        Same(slug, payload.Workspace.Slug, $"workspace slug of {capture}");
        Same(workspaceUuid, payload.Workspace.Uuid, $"workspace UUID of {capture} (repository.workspace.uuid, else repository.owner.uuid in pre-2021 payloads)");
        Same(fullName, payload.Repository.FullName, $"repository of {capture}");
        Same(repositoryUuid, payload.Repository.Uuid, $"repository UUID of {capture}");
    }

    private static void AssertTagCreated(string capture, string tag, string commit)
    {
        var payload = Parse(WebhookPayload.Push, capture);

        var change = Assert.Single(payload.Changes);
        Same(new WebhookChange(EventKind.Tag, Tag(tag), commit, null), change, $"the change read from {capture}");
        That(!change.Ref.Name.StartsWith("refs/", StringComparison.Ordinal), $"{capture}: Bitbucket's tag name is bare, got '{change.Ref.Name}'");
        That(!change.CommitIsAbbreviated, $"{capture}: a push carries a 40-character hash, but it was read as abbreviated");
    }

    private static GitRef Branch(string name) => new() { Name = name, Type = RefType.Branch };

    private static GitRef Tag(string name) => new() { Name = name, Type = RefType.Tag };

    private static WebhookPayload Parse(string eventKey, string capture)
    {
        var (payload, invalid) = WebhookPayload.Read(eventKey, CaptureFiles.Webhook(capture));
        return payload ?? throw new Xunit.Sdk.XunitException($"The real payload {capture} ({eventKey}) was refused at {invalid!.Field}: {invalid.Why}");
    }
}

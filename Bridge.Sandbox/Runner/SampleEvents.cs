using Bridge.Contracts;
using Bridge.Sandbox.Emulators;

namespace Bridge.Sandbox.Runner;

/// <summary>
/// The sandbox's sample events: a tag, a merge that two routes take, a merge no route takes, a redelivery, plain JSON,
/// and a tag push as a signed Bitbucket webhook, delivered twice.
/// </summary>
internal static class SampleEvents
{
    private const string WorkspaceUuid = SampleWorkspace.Uuid;
    private const string RepositoryUuid = "{1de489be-ce6a-42a0-a8c8-eadbf1174ac7}";

    public static IReadOnlyList<SampleEvent> Create(bool plainJson)
    {
        var release = Event(EventKind.Tag, "v1.4.0", RefType.Tag, buildNumber: 128);
        var (webhook, pushed) = SampleWebhooks.TagPush("v2.0.0", RepositoryUuid);
        var merge = SampleWorkspace.Issue(Unsigned(EventKind.Merge, "main", RefType.Branch, buildNumber: 129) with { PullRequestId = 42 });
        return
        [
            SampleEvent.Published("tag v1.4.0", release),
            SampleEvent.Published("merge into main (PR 42)", merge),
            SampleEvent.Published("merge into feature/login", Event(EventKind.Merge, "feature/login", RefType.Branch, buildNumber: 130)),
            SampleEvent.Published("tag v1.4.0 delivered again", release, isRedelivery: true),
            SampleEvent.Published(
                plainJson ? "tag v1.5.0-rc.1 as plain JSON" : "tag v1.5.0-rc.1", Event(EventKind.Tag, "v1.5.0-rc.1", RefType.Tag, buildNumber: 131), asPlainJson: plainJson),
            new("tag v2.0.0 pushed (signed Bitbucket webhook)", pushed, Webhook: webhook),
            new("the same webhook delivered again", pushed, IsRedelivery: true, Webhook: webhook),
        ];
    }

    /// <summary>An event of the sample workspace with the step's signed token (its pipeline recorded in the emulators).</summary>
    private static PipelineEvent Event(EventKind kind, string refName, RefType refType, long buildNumber) =>
        SampleWorkspace.Issue(Unsigned(kind, refName, refType, buildNumber));

    private static PipelineEvent Unsigned(EventKind kind, string refName, RefType refType, long buildNumber) => new()
    {
        EventId = Guid.NewGuid(),
        Kind = kind,
        Workspace = new WorkspaceInfo { Slug = SampleWorkspace.Slug, Uuid = WorkspaceUuid },
        Repository = new RepositoryInfo { FullName = "acme/api", Uuid = RepositoryUuid },
        Commit = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()) + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray())[..8],
        Ref = new GitRef { Name = refName, Type = refType },
        PipelineUuid = $"{{{Guid.NewGuid()}}}",
        StepUuid = $"{{{Guid.NewGuid()}}}",
        BuildNumber = buildNumber,
        OccurredAt = DateTimeOffset.UtcNow,
        OidcToken = string.Empty,
    };
}

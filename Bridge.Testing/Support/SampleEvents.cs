using System.Text;
using Bridge.Contracts;
using Bridge.Sandbox.Emulators;

namespace Bridge.Tests.Support;

/// <summary>
/// Valid events for tests; each call gives new pipeline and step UUIDs unless told otherwise. <see cref="Tag"/> and
/// <see cref="Merge"/> carry a real step token of the sample workspace (<see cref="SampleWorkspace"/>), whose pipeline
/// is recorded with the event's commit and ref, so they verify in any <c>SandboxStack</c>.
/// </summary>
internal static class SampleEvents
{
    public const string WorkspaceUuid = SampleWorkspace.Uuid;
    public const string RepositoryUuid = "{1de489be-ce6a-42a0-a8c8-eadbf1174ac7}";

    /// <summary>A JWT-shaped token (not signed by anyone): a unique secret tests can search logs for.</summary>
    public static string Token()
    {
        static string Segment(string json) => Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return $"{Segment("{\"alg\":\"RS256\",\"kid\":\"test\"}")}.{Segment($"{{\"sub\":\"{Guid.NewGuid()}\"}}")}.c2lnbmF0dXJl{Guid.NewGuid():N}";
    }

    public static PipelineEvent Tag(string tag = "v1.4.0", string repository = "acme/api", string? commit = null) =>
        SampleWorkspace.Issue(UnsignedTag(tag, repository, commit));

    public static PipelineEvent Merge(string branch = "main", string repository = "acme/api", long? pullRequest = 42) =>
        SampleWorkspace.Issue(UnsignedMerge(branch, repository, pullRequest));

    /// <summary>A tag event with an unsigned placeholder token and no pipeline record: sign it yourself.</summary>
    public static PipelineEvent UnsignedTag(string tag = "v1.4.0", string repository = "acme/api", string? commit = null) => new()
    {
        EventId = Guid.NewGuid(),
        Kind = EventKind.Tag,
        Workspace = new WorkspaceInfo { Slug = repository.Split('/')[0], Uuid = WorkspaceUuid },
        Repository = new RepositoryInfo { FullName = repository, Uuid = RepositoryUuid },
        Commit = commit ?? Sha(),
        Ref = new GitRef { Name = tag, Type = RefType.Tag },
        PipelineUuid = Braced(),
        StepUuid = Braced(),
        BuildNumber = 128,
        OccurredAt = new DateTimeOffset(2026, 11, 22, 10, 0, 0, TimeSpan.Zero),
        OidcToken = Token(),
    };

    /// <summary>A merge event with an unsigned placeholder token and no pipeline record: sign it yourself.</summary>
    public static PipelineEvent UnsignedMerge(string branch = "main", string repository = "acme/api", long? pullRequest = 42) =>
        UnsignedTag(repository: repository) with
        {
            Kind = EventKind.Merge,
            Ref = new GitRef { Name = branch, Type = RefType.Branch },
            PullRequestId = pullRequest,
        };

    public static string Sha() => Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()) + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray())[..8];

    public static string Braced() => $"{{{Guid.NewGuid()}}}";
}

using System.Text;
using Bridge.Contracts;

namespace Bridge.Tests.Support;

/// <summary>Valid events for tests; each call gives new pipeline and step UUIDs unless told otherwise.</summary>
internal static class SampleEvents
{
    public const string WorkspaceUuid = "{922e118c-f34f-4226-a897-0e0afbec553d}";
    public const string RepositoryUuid = "{1de489be-ce6a-42a0-a8c8-eadbf1174ac7}";

    /// <summary>A JWT-shaped token (not signed by anyone): a unique secret tests can search logs for.</summary>
    public static string Token()
    {
        static string Segment(string json) => Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return $"{Segment("{\"alg\":\"RS256\",\"kid\":\"test\"}")}.{Segment($"{{\"sub\":\"{Guid.NewGuid()}\"}}")}.c2lnbmF0dXJl{Guid.NewGuid():N}";
    }

    public static PipelineEvent Tag(string tag = "v1.4.0", string repository = "acme/api", string? commit = null) => new()
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

    public static PipelineEvent Merge(string branch = "main", string repository = "acme/api", long? pullRequest = 42) => Tag(repository: repository) with
    {
        Kind = EventKind.Merge,
        Ref = new GitRef { Name = branch, Type = RefType.Branch },
        PullRequestId = pullRequest,
    };

    public static string Sha() => Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()) + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray())[..8];

    public static string Braced() => $"{{{Guid.NewGuid()}}}";
}

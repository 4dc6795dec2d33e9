using System.Text.Json;
using Bridge.Contracts;
using Bridge.Sandbox.Emulators;

namespace Bridge.Benchmarks.Faults;

/// <summary>
/// The fault run's Bitbucket side: a workspace with its own OIDC signing key, one repository, and events that are tag
/// pushes <c>v{scenario}.{n}</c>, each with its own pipeline (recorded in the stack's registry, so the commit check
/// passes), step, commit and signed step token, serialised as the queue carries them (plain camelCase JSON).
/// </summary>
internal sealed class FaultWorkspace
{
    public const string Slug = "faults";
    public const string Uuid = "{7c1e5a3b-2d4f-4e6a-8b0c-1d3e5f7a9b2c}";
    public const string RepositoryUuid = "{3a5c7e9b-1d2f-4a6b-8c0d-2e4f6a8b0c1d}";
    public const string Repository = "faults/api";
    public const string Issuer = "https://api.bitbucket.org/2.0/workspaces/faults/pipelines-config/identity/oidc";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    int issued;

    public OidcWorkspace Oidc { get; } = new(Slug, Uuid, Issuer);

    /// <summary><paramref name="count"/> new events, their pipelines added to <paramref name="pipelines"/>.</summary>
    public IReadOnlyList<IssuedEvent> Issue(int count, PipelineRegistry pipelines)
    {
        ArgumentNullException.ThrowIfNull(pipelines);
        var events = new IssuedEvent[count];
        // RS256 signing dominates; both cores share it.
        Parallel.For(0, count, i =>
        {
            var message = NewEvent(Interlocked.Increment(ref issued));
            pipelines.Add(Pipeline(message));
            var token = Oidc.Mint(Step(message));
            events[i] = new IssuedEvent(message.Commit, JsonSerializer.SerializeToUtf8Bytes(message with { OidcToken = token }, Json));
        });

        return events;
    }

    /// <summary>A well-formed event without a token (the bad messages mutate it), its pipeline not recorded anywhere.</summary>
    public PipelineEvent NewEvent(int n) => new()
    {
        EventId = Guid.NewGuid(),
        Kind = EventKind.Tag,
        Workspace = new WorkspaceInfo { Slug = Slug, Uuid = Uuid },
        Repository = new RepositoryInfo { FullName = Repository, Uuid = RepositoryUuid },
        Commit = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()) + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray())[..8],
        Ref = new GitRef { Name = $"v1.{n}.0", Type = RefType.Tag },
        PipelineUuid = $"{{{Guid.NewGuid()}}}",
        StepUuid = $"{{{Guid.NewGuid()}}}",
        BuildNumber = n,
        OccurredAt = DateTimeOffset.UtcNow,
        OidcToken = "",
    };

    public static StepToken Step(PipelineEvent message) => new()
    {
        RepositoryUuid = message.Repository.Uuid,
        PipelineUuid = message.PipelineUuid,
        StepUuid = message.StepUuid,
    };

    public static PipelineRecord Pipeline(PipelineEvent message) => new()
    {
        WorkspaceSlug = message.Workspace.Slug,
        WorkspaceUuid = message.Workspace.Uuid,
        RepositoryFullName = message.Repository.FullName,
        RepositoryUuid = message.Repository.Uuid,
        PipelineUuid = message.PipelineUuid,
        RefType = "tag",
        RefName = message.Ref.Name,
        Commit = message.Commit,
        BuildNumber = message.BuildNumber,
    };
}

/// <summary>An event as published: its commit (what its flow run and statuses are found by) and the message body.</summary>
internal sealed record IssuedEvent(string Commit, byte[] Body);

using System.Collections.Concurrent;
using System.Text.Json;
using Bridge.Contracts;
using Bridge.Sandbox.Emulators;

namespace Bridge.Benchmarks.Workload;

/// <summary>
/// The benchmark's Bitbucket side: a workspace with its own OIDC signing key (the sandbox's <see cref="OidcWorkspace"/>),
/// one repository, and the pipeline record of every event it issued, which the fake upstream answers the commit check
/// from. Events are tag pushes <c>v1.0.{n}</c>, each with its own pipeline, step, commit and a signed step token.
/// </summary>
internal sealed class BenchWorkspace
{
    public const string Slug = "bench";
    public const string Uuid = "{5b3c1f0e-6a2d-4c1b-9e7f-2d8a4b6c0e13}";
    public const string RepositoryUuid = "{0f6d2a4c-8b1e-4d3f-a5c7-9e2b4d6f8a10}";
    public const string Repository = "bench/api";
    public const string Issuer = "https://api.bitbucket.org/2.0/workspaces/bench/pipelines-config/identity/oidc";

    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    readonly ConcurrentDictionary<string, PipelineRecord> pipelines = new(StringComparer.Ordinal);
    int issued;

    public OidcWorkspace Oidc { get; } = new(Slug, Uuid, Issuer);

    /// <summary>The commit and tag a pipeline built, or null for a pipeline this workspace never ran.</summary>
    public PipelineRecord? Pipeline(string pipelineUuid) => pipelines.TryGetValue(pipelineUuid, out var record) ? record : null;

    /// <summary><paramref name="count"/> new events as the queue carries them (plain camelCase JSON), keyed by commit.</summary>
    public IReadOnlyList<QueuedEvent> Issue(int count)
    {
        var events = new QueuedEvent[count];
        // RS256 signing dominates; both cores share it.
        Parallel.For(0, count, i =>
        {
            var n = Interlocked.Increment(ref issued);
            var commit = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()) + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray())[..8];
            var message = new PipelineEvent
            {
                EventId = Guid.NewGuid(),
                Kind = EventKind.Tag,
                Workspace = new WorkspaceInfo { Slug = Slug, Uuid = Uuid },
                Repository = new RepositoryInfo { FullName = Repository, Uuid = RepositoryUuid },
                Commit = commit,
                Ref = new GitRef { Name = $"v1.0.{n}", Type = RefType.Tag },
                PipelineUuid = $"{{{Guid.NewGuid()}}}",
                StepUuid = $"{{{Guid.NewGuid()}}}",
                BuildNumber = n,
                OccurredAt = DateTimeOffset.UtcNow,
                OidcToken = "",
            };
            pipelines[message.PipelineUuid] = new PipelineRecord(commit, message.Ref.Name);
            var token = Oidc.Mint(new StepToken
            {
                RepositoryUuid = RepositoryUuid,
                PipelineUuid = message.PipelineUuid,
                StepUuid = message.StepUuid,
            });
            events[i] = new QueuedEvent(commit, JsonSerializer.SerializeToUtf8Bytes(message with { OidcToken = token }, Json));
        });

        return events;
    }
}

using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Bridge.Sandbox.Emulators;

/// <summary>
/// Bitbucket Cloud's commit build-status API on real Kestrel (127.0.0.1), faithful to the swagger's
/// <c>commitstatus</c> plus the limits the server enforces (reference §3): 400 with field errors, overwrite per key
/// (201 both ways), auth, and injected faults (429 with or without Retry-After, 5xx); the Pipelines OIDC issuer of
/// each registered workspace (discovery, <c>keys.json</c>, minted step tokens), <c>GET …/pipelines/{uuid}</c> and
/// <c>GET …/commit/{commit}</c> (full hash or unambiguous prefix).
/// </summary>
public sealed class BitbucketEmulator : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly BitbucketStore store;
    private readonly CallCounter counter;
    private readonly FaultInjector faults;
    private readonly ConcurrentDictionary<string, OidcWorkspace> workspaces;

    private BitbucketEmulator(
        WebApplication app, BitbucketStore store, CallCounter counter, FaultInjector faults,
        ConcurrentDictionary<string, OidcWorkspace> workspaces, PipelineRegistry pipelines, CommitRegistry commits, TimeProvider time)
    {
        this.workspaces = workspaces;
        Pipelines = pipelines;
        Commits = commits;
        Time = time;
        this.app = app;
        this.store = store;
        this.counter = counter;
        this.faults = faults;
        BaseUrl = EmulatorHost.BoundAddress(app).GetLeftPart(UriPartial.Authority);
        ApiUrl = BaseUrl + "/2.0";
    }

    /// <summary>Raised (on the request's thread) after every accepted status POST, creation or overwrite.</summary>
    public event Action<CommitStatusRecord>? StatusPosted
    {
        add => store.StatusPosted += value;
        remove => store.StatusPosted -= value;
    }

    /// <summary>The API base URL, e.g. <c>http://127.0.0.1:5124/2.0</c>.</summary>
    public string ApiUrl { get; }

    /// <summary>The server root, e.g. <c>http://127.0.0.1:5124</c>.</summary>
    public string BaseUrl { get; }

    /// <summary>Current statuses, in order of first creation.</summary>
    public IReadOnlyList<CommitStatusRecord> Statuses => store.All();

    /// <summary>Every status POST, in arrival order, whatever it was answered.</summary>
    public IReadOnlyList<StatusPostCall> PostCalls => store.Posts();

    /// <summary>The pipelines <c>GET …/pipelines/{uuid}</c> serves.</summary>
    public PipelineRegistry Pipelines { get; }

    /// <summary>The commits <c>GET …/commit/{commit}</c> serves: those added, and the commit of every pipeline in <see cref="Pipelines"/>.</summary>
    public CommitRegistry Commits { get; }

    private TimeProvider Time { get; }

    /// <summary>Requests per endpoint name (<see cref="BitbucketEndpoints"/>).</summary>
    public IReadOnlyDictionary<string, int> CallCounts => counter.Snapshot();

    public static async Task<BitbucketEmulator> StartAsync(BitbucketEmulatorOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new BitbucketEmulatorOptions();
        options.Validate();
        await ContractSchemaCatalog.Bitbucket.GetAsync("commitstatus");

        var store = new BitbucketStore();
        var counter = new CallCounter();
        var faults = new FaultInjector(BitbucketEndpoints.All);
        var workspaces = new ConcurrentDictionary<string, OidcWorkspace>(StringComparer.Ordinal);
        var pipelines = options.Pipelines ?? new PipelineRegistry();
        var commits = new CommitRegistry(pipelines);
        var gate = new EmulatorGate(new BitbucketRules(options, store, options.TimeProvider), counter, faults);
        var app = await EmulatorHost.StartAsync(
            options.Port,
            options.MinimumLogLevel,
            web =>
            {
                web.UseRouting();
                web.Use(gate.InvokeAsync);
                var api = web.MapGroup("/2.0");
                new CommitStatusEndpoints(store, options.TimeProvider).Map(api);
                new PipelineEndpoints(pipelines).Map(api);
                new CommitEndpoints(commits).Map(api);
                new OidcEndpoints(workspaces).Map(api);
                web.MapFallback(() => BitbucketResults.Error(StatusCodes.Status404NotFound, "Resource not found"));
            },
            cancellationToken);
        return new BitbucketEmulator(app, store, counter, faults, workspaces, pipelines, commits, options.TimeProvider);
    }

    /// <summary>The issuer URL Bitbucket gives the workspace, on this emulator.</summary>
    public string IssuerUrl(string slug) => $"{ApiUrl}/workspaces/{Uri.EscapeDataString(slug)}/pipelines-config/identity/oidc";

    /// <summary>Turns on Pipelines OIDC for a workspace: its issuer (on this emulator) starts publishing discovery and keys.</summary>
    public OidcWorkspace RegisterWorkspace(string slug, string uuid) => Host(new OidcWorkspace(slug, uuid, IssuerUrl(slug), Time));

    /// <summary>Serves an existing workspace issuer (e.g. one shared by several emulators, with its own issuer URL).</summary>
    public OidcWorkspace Host(OidcWorkspace workspace)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        workspaces[workspace.Slug] = workspace;
        return workspace;
    }

    public OidcWorkspace Workspace(string slug) =>
        workspaces.TryGetValue(slug, out var workspace) ? workspace : throw new KeyNotFoundException($"No workspace '{slug}' is registered.");

    /// <summary>Records a pipeline run, so <c>GET …/pipelines/{uuid}</c> serves it and <c>GET …/commit/{commit}</c> its commit.</summary>
    public void AddPipeline(PipelineRecord pipeline) => Pipelines.Add(pipeline);

    /// <summary>
    /// Records a commit of the repository, so <c>GET …/commit/{commit}</c> serves it by its full <paramref name="hash"/>
    /// (40 hex characters) or an unambiguous prefix of at least 7.
    /// </summary>
    public CommitRecord AddCommit(
        string workspaceSlug, string workspaceUuid, string repositoryFullName, string repositoryUuid, string hash,
        string? message = null, DateTimeOffset? date = null)
    {
        var commit = new CommitRecord
        {
            WorkspaceSlug = workspaceSlug,
            WorkspaceUuid = workspaceUuid,
            RepositoryFullName = repositoryFullName,
            RepositoryUuid = repositoryUuid,
            Hash = hash,
        };
        return Commits.Add(commit with { Message = message ?? commit.Message, Date = date ?? commit.Date });
    }

    public CommitStatusRecord? FindStatus(string workspace, string repository, string commit, string key) =>
        store.Find(workspace, repository, commit, key);

    public int CallCount(string endpointName) => counter.Get(endpointName);

    /// <summary>
    /// Makes the next <paramref name="count"/> requests to <paramref name="endpointName"/> (<see cref="BitbucketEndpoints"/>)
    /// answer <paramref name="statusCode"/> (429 with Bitbucket's plain-text body), with <c>Retry-After</c> only when given.
    /// </summary>
    public void FailNext(string endpointName, int count, int statusCode, TimeSpan? retryAfter = null) =>
        faults.FailNext(endpointName, count, statusCode, retryAfter);

    /// <summary>
    /// From now on a share of the requests fails at random (one draw per request from <c>new Random(<paramref name="seed"/>)</c>,
    /// the faults' shares laid end to end); no faults stops it. Faults queued by <see cref="FailNext"/> are served first.
    /// </summary>
    public void FailAtRandom(int seed, params IReadOnlyList<RandomFault> faults) => this.faults.FailAtRandom(seed, faults);

    /// <summary>
    /// The next <paramref name="count"/> requests to <paramref name="endpointName"/> (<see cref="BitbucketEndpoints"/>) are served (a
    /// run is created, a status stored) and then their connection is cut before the answer: a response lost on the way.
    /// </summary>
    public void DropResponseNext(string endpointName, int count) => faults.DropResponseNext(endpointName, count);

    /// <summary>Completes when <paramref name="condition"/> holds (re-checked on every change); TimeoutException after <paramref name="timeout"/>.</summary>
    public Task WaitForAsync(Func<bool> condition, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        store.Changes.WaitForAsync(condition, timeout, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}

using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Bridge.Sandbox.Emulators;

/// <summary>
/// A Prefect 3 API on real Kestrel (127.0.0.1), faithful to the server's OpenAPI document and to the behaviours in
/// the reference: auth, 422/404/409, create_flow_run idempotency per (flow, key) with 201/200, set_state (cancelling
/// a run that never started cancels it at once), flow-run filters (tags, state, end time…), run deletion, label
/// updates, Variables, and the events websocket <c>/events/out</c> (auth and filter handshake, backfill, live
/// <c>prefect.flow-run.*</c> events on every state change). Tests drive it in-process (deployments, states, recorded
/// calls, injected faults, refused or dropped event streams).
/// </summary>
public sealed class PrefectEmulator : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly PrefectStore store;
    private readonly CallCounter counter;
    private readonly FaultInjector faults;
    private readonly TimeProvider time;
    private readonly EventStreamControl streams;
    private readonly WorkerStore workers;

    private PrefectEmulator(
        WebApplication app, PrefectStore store, CallCounter counter, FaultInjector faults, TimeProvider time, EventStreamControl streams, WorkerStore workers)
    {
        this.workers = workers;
        this.streams = streams;
        this.app = app;
        this.store = store;
        this.counter = counter;
        this.faults = faults;
        this.time = time;
        var address = EmulatorHost.BoundAddress(app);
        UiUrl = address.GetLeftPart(UriPartial.Authority);
        ApiUrl = UiUrl + "/api";
    }

    /// <summary>Raised (on the request's thread) each time a new flow run is inserted; not for idempotent repeats.</summary>
    public event Action<FlowRunRecord>? FlowRunCreated
    {
        add => store.FlowRunCreated += value;
        remove => store.FlowRunCreated -= value;
    }

    /// <summary>The API base URL, e.g. <c>http://127.0.0.1:5123/api</c> (what <c>PREFECT_API_URL</c> would hold).</summary>
    public string ApiUrl { get; }

    /// <summary>The UI base URL, e.g. <c>http://127.0.0.1:5123</c>.</summary>
    public string UiUrl { get; }

    /// <summary>Every flow run, oldest first (copies).</summary>
    public IReadOnlyList<FlowRunRecord> FlowRuns => store.FlowRuns();

    /// <summary>Every deployment (copies).</summary>
    public IReadOnlyList<DeploymentRecord> Deployments => store.Deployments();

    /// <summary>Every request to create_flow_run, in arrival order, whatever it was answered.</summary>
    public IReadOnlyList<CreateFlowRunCall> CreateFlowRunCalls => store.CreateCalls();

    /// <summary>Requests per endpoint name (<see cref="PrefectEndpoints"/>).</summary>
    public IReadOnlyDictionary<string, int> CallCounts => counter.Snapshot();

    public static async Task<PrefectEmulator> StartAsync(PrefectEmulatorOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new PrefectEmulatorOptions();
        options.Validate();
        await WarmUpSchemasAsync();

        var store = new PrefectStore(options.TimeProvider);
        var counter = new CallCounter();
        var faults = new FaultInjector(PrefectEndpoints.All);
        var rules = new PrefectRules(options, store, options.TimeProvider);
        var gate = new EmulatorGate(rules, counter, faults);
        var streams = new EventStreamControl(store.Changes.Notify);
        var workers = new WorkerStore();
        var app = await EmulatorHost.StartAsync(
            options.Port,
            options.MinimumLogLevel,
            web => MapRoutes(web, gate, store, workers, options.TimeProvider, new EventsOutEndpoint(store.Events, rules, streams, options.TimeProvider)),
            cancellationToken);
        return new PrefectEmulator(app, store, counter, faults, options.TimeProvider, streams, workers);
    }

    /// <summary>Adds a deployment; flows are identified by name, so the same <paramref name="flowName"/> shares a flow id.</summary>
    public DeploymentRecord AddDeployment(
        string flowName,
        string deploymentName,
        JsonObject? parameters = null,
        IEnumerable<string>? tags = null,
        JsonObject? parameterSchema = null,
        bool enforceParameterSchema = true,
        string? workPoolName = "emulator-pool")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(flowName);
        ArgumentException.ThrowIfNullOrWhiteSpace(deploymentName);
        return store.AddDeployment(new DeploymentRecord
        {
            Id = Guid.NewGuid(),
            FlowId = Guid.Empty,
            FlowName = flowName,
            Name = deploymentName,
            Parameters = parameters?.DeepClone().AsObject() ?? [],
            Tags = tags?.ToList() ?? [],
            ParameterSchema = parameterSchema?.DeepClone().AsObject(),
            EnforceParameterSchema = enforceParameterSchema,
            WorkPoolName = workPoolName,
            WorkQueueName = workPoolName is null ? null : "default",
            Created = time.GetUtcNow(),
        });
    }

    /// <summary>
    /// A worker of <paramref name="workPoolName"/> that sent a heartbeat now, as <c>prefect worker start</c> would; an
    /// <c>OFFLINE</c> one is a worker whose heartbeats stopped. The pool exists from then on.
    /// </summary>
    public WorkerRecord AddWorker(string workPoolName, string name = "emulator-worker", string status = "ONLINE")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(workPoolName);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return status is "ONLINE" or "OFFLINE"
            ? workers.Add(workPoolName, name, status, time.GetUtcNow())
            : throw new ArgumentException("A worker's status is ONLINE or OFFLINE.", nameof(status));
    }

    public FlowRunRecord? FindFlowRun(Guid flowRunId) => store.FindFlowRun(flowRunId);

    /// <summary>Moves a flow run to a state, as a worker or the flow itself would (e.g. <c>COMPLETED</c>).</summary>
    public FlowRunRecord SetState(Guid flowRunId, string type, string? name = null, string? message = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(type);
        if (!StateTypes.All.Contains(type))
        {
            throw new ArgumentException($"'{type}' is not a Prefect state type; use one of {string.Join(", ", StateTypes.All)}.", nameof(type));
        }

        return store.SetState(flowRunId, type, name, message, scheduledTime: null)
            ?? throw new KeyNotFoundException($"The Prefect emulator has no flow run {flowRunId}.");
    }

    /// <summary>Deletes a flow run, as <c>DELETE /flow_runs/{id}</c> would.</summary>
    public void DeleteFlowRun(Guid flowRunId)
    {
        if (!store.DeleteFlowRun(flowRunId))
        {
            throw new KeyNotFoundException($"The Prefect emulator has no flow run {flowRunId}.");
        }
    }

    /// <summary>Deletes a deployment, as <c>DELETE /deployments/{id}</c> would; its flow runs stay.</summary>
    public void DeleteDeployment(Guid deploymentId)
    {
        if (!store.DeleteDeployment(deploymentId))
        {
            throw new KeyNotFoundException($"The Prefect emulator has no deployment {deploymentId}.");
        }
    }

    /// <summary>Sets a deployment's <c>status</c>: <c>NOT_READY</c> says no worker polls its work pool.</summary>
    public DeploymentRecord SetDeploymentStatus(Guid deploymentId, string status)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(status);
        return status is "READY" or "NOT_READY"
            ? store.SetDeploymentStatus(deploymentId, status)
            : throw new ArgumentException("A deployment's status is READY or NOT_READY.", nameof(status));
    }

    /// <summary>
    /// Inserts a flow run of <paramref name="deployment"/> directly (as if created through the API), e.g. to seed many
    /// runs quickly; <paramref name="state"/> defaults to Scheduled now.
    /// </summary>
    public FlowRunRecord AddFlowRun(
        DeploymentRecord deployment, IEnumerable<string> tags, IReadOnlyDictionary<string, string> labels, string? stateType = null, string? idempotencyKey = null)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        ArgumentNullException.ThrowIfNull(tags);
        ArgumentNullException.ThrowIfNull(labels);
        var request = new JsonObject
        {
            ["tags"] = new JsonArray([.. tags.Select(t => JsonValue.Create(t))]),
            ["labels"] = new JsonObject([.. labels.Select(l => KeyValuePair.Create(l.Key, (JsonNode?)JsonValue.Create(l.Value)))]),
        };
        if (stateType is not null)
        {
            request["state"] = new JsonObject { ["type"] = stateType };
        }

        if (idempotencyKey is not null)
        {
            request["idempotency_key"] = idempotencyKey;
        }

        return store.CreateFlowRun(
            deployment.FlowId, idempotencyKey, () => FlowRunFactory.Create(deployment, request, deployment.Parameters, time.GetUtcNow())).Run;
    }

    /// <summary>Every event emitted so far (<c>prefect.flow-run.*</c>), oldest first.</summary>
    public IReadOnlyList<JsonObject> Events => store.Events.All();

    /// <summary>A Prefect Variable (the worker's watermark lives in one), or null.</summary>
    public VariableRecord? FindVariable(string name) => store.Variables.Find(name);

    /// <summary>Every accepted write of the variable <paramref name="name"/> (<c>POST /variables/</c>, <c>PATCH /variables/name/{name}</c>), oldest first.</summary>
    public IReadOnlyList<VariableWrite> VariableWrites(string name) => store.Variables.Writes(name);

    /// <summary>While true, <c>/events/out</c> answers 403 instead of upgrading (a proxy that blocks websockets).</summary>
    public bool RefuseEventStreams
    {
        get => streams.Refuse;
        set => streams.Refuse = value;
    }

    /// <summary>Event streams accepted so far, refused so far, and open now.</summary>
    public (int Accepted, int Refused, int Open) EventStreams => (streams.Accepted, streams.Refused, streams.Open);

    /// <summary>Aborts every open event stream, as a network cut would.</summary>
    public void DropEventStreams() => streams.DropAll();

    /// <summary>The UI link of a flow run: <c>{UiUrl}/runs/flow-run/{id}</c>.</summary>
    public string FlowRunUiUrl(Guid flowRunId) => $"{UiUrl}/runs/flow-run/{flowRunId}";

    public int CallCount(string endpointName) => counter.Get(endpointName);

    /// <summary>
    /// Makes the next <paramref name="count"/> requests to <paramref name="endpointName"/> (<see cref="PrefectEndpoints"/>)
    /// answer <paramref name="statusCode"/>, with <c>Retry-After</c> in whole seconds when <paramref name="retryAfter"/> is set.
    /// </summary>
    public void FailNext(string endpointName, int count, int statusCode, TimeSpan? retryAfter = null) =>
        faults.FailNext(endpointName, count, statusCode, retryAfter);

    /// <summary>
    /// From now on a share of the requests fails at random (one draw per request from <c>new Random(<paramref name="seed"/>)</c>,
    /// the faults' shares laid end to end); no faults stops it. Faults queued by <see cref="FailNext"/> are served first.
    /// </summary>
    public void FailAtRandom(int seed, params IReadOnlyList<RandomFault> faults) => this.faults.FailAtRandom(seed, faults);

    /// <summary>
    /// The next <paramref name="count"/> requests to <paramref name="endpointName"/> (<see cref="PrefectEndpoints"/>) are served (a
    /// run is created, a status stored) and then their connection is cut before the answer: a response lost on the way.
    /// </summary>
    public void DropResponseNext(string endpointName, int count) => faults.DropResponseNext(endpointName, count);

    /// <summary>Of the next <paramref name="count"/> × <paramref name="every"/> requests, the first of every <paramref name="every"/> is served and its answer cut.</summary>
    public void DropResponseOfEvery(string endpointName, int every, int count) => faults.DropResponseOfEvery(endpointName, every, count);

    /// <summary>Completes when <paramref name="condition"/> holds (re-checked on every change); TimeoutException after <paramref name="timeout"/>.</summary>
    public Task WaitForAsync(Func<bool> condition, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        store.Changes.WaitForAsync(condition, timeout, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }

    private static async Task WarmUpSchemasAsync()
    {
        await ContractSchemaCatalog.Prefect.GetAsync("DeploymentFlowRunCreate");
        await ContractSchemaCatalog.Prefect.GetAsync("Body_set_flow_run_state_flow_runs__id__set_state_post");
        await ContractSchemaCatalog.Prefect.GetAsync("Body_read_flow_runs_flow_runs_filter_post");
        await ContractSchemaCatalog.Prefect.GetAsync("VariableCreate");
        await ContractSchemaCatalog.Prefect.GetAsync("VariableUpdate");
        await ContractSchemaCatalog.Prefect.GetAsync("Body_read_workers_work_pools__work_pool_name__workers_filter_post");
    }

    private static void MapRoutes(
        WebApplication web, EmulatorGate gate, PrefectStore store, WorkerStore workers, TimeProvider time, EventsOutEndpoint events)
    {
        web.UseWebSockets();
        web.UseRouting();
        web.Use(gate.InvokeAsync);
        var api = web.MapGroup("/api");
        api.MapGet("/health", () => Results.Json(true, PrefectJsonContext.Wire.Boolean)).WithName(PrefectEndpoints.Health);
        new DeploymentEndpoints(store).Map(api);
        new CreateFlowRunEndpoint(store, new ParameterSchemaValidator(), time).Map(api);
        new FlowRunEndpoints(store, time).Map(api);
        new FlowRunFilterEndpoint(store, time).Map(api);
        new VariableEndpoints(store.Variables, time).Map(api);
        new WorkerEndpoints(store, workers).Map(api);
        events.Map(api);
        web.MapFallback(() => PrefectResults.Detail(StatusCodes.Status404NotFound, "Not Found"));
    }
}

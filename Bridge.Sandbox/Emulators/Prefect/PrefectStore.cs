namespace Bridge.Sandbox.Emulators;

/// <summary>
/// The Prefect emulator's state: deployments, flow runs, idempotency keys per flow, and recorded calls.
/// Thread-safe; everything handed out is a copy.
/// </summary>
internal sealed class PrefectStore(TimeProvider time)
{
    private readonly Lock gate = new();
    private readonly Dictionary<Guid, DeploymentRecord> deployments = [];
    private readonly Dictionary<string, Guid> flowIds = new(StringComparer.Ordinal);
    private readonly Dictionary<Guid, FlowRunRecord> runs = [];
    private readonly List<Guid> runOrder = [];
    private readonly Dictionary<(Guid FlowId, string Key), Guid> idempotencyKeys = [];
    private readonly List<CreateFlowRunCall> createCalls = [];

    public ChangeSignal Changes { get; } = new();

    public PrefectEventLog Events { get; } = new();

    public VariableStore Variables { get; } = new();

    public event Action<FlowRunRecord>? FlowRunCreated;

    public DeploymentRecord AddDeployment(DeploymentRecord draft)
    {
        DeploymentRecord added;
        lock (gate)
        {
            if (deployments.Values.Any(d => d.FlowName == draft.FlowName && d.Name == draft.Name))
            {
                throw new InvalidOperationException($"Deployment '{draft.FullName}' already exists in the Prefect emulator.");
            }

            if (!flowIds.TryGetValue(draft.FlowName, out var flowId))
            {
                flowIds[draft.FlowName] = flowId = Guid.NewGuid();
            }

            added = draft.Copy() with { FlowId = flowId };
            deployments[added.Id] = added;
        }

        Changes.Notify();
        return added.Copy();
    }

    public bool DeleteDeployment(Guid id)
    {
        bool deleted;
        lock (gate)
        {
            deleted = deployments.Remove(id);
        }

        Changes.Notify();
        return deleted;
    }

    public DeploymentRecord? FindDeployment(Guid id)
    {
        lock (gate)
        {
            return deployments.GetValueOrDefault(id)?.Copy();
        }
    }

    public DeploymentRecord? FindDeployment(string flowName, string name)
    {
        lock (gate)
        {
            return deployments.Values.FirstOrDefault(d => d.FlowName == flowName && d.Name == name)?.Copy();
        }
    }

    public IReadOnlyList<DeploymentRecord> Deployments()
    {
        lock (gate)
        {
            return deployments.Values.Select(d => d.Copy()).ToList();
        }
    }

    /// <summary>
    /// Inserts the run built by <paramref name="create"/> unless the flow already has a run with the same idempotency
    /// key, in which case that run is returned unchanged (<c>Created</c> false).
    /// </summary>
    public (FlowRunRecord Run, bool Created) CreateFlowRun(Guid flowId, string? idempotencyKey, Func<FlowRunRecord> create)
    {
        FlowRunRecord run;
        lock (gate)
        {
            if (idempotencyKey is not null && idempotencyKeys.TryGetValue((flowId, idempotencyKey), out var existing))
            {
                return (runs[existing].Copy(), false);
            }

            run = create();
            runs[run.Id] = run;
            runOrder.Add(run.Id);
            if (idempotencyKey is not null)
            {
                idempotencyKeys[(flowId, idempotencyKey)] = run.Id;
            }
        }

        Events.Append(run.Copy(), FindDeployment(run.DeploymentId ?? Guid.Empty), previous: null);
        FlowRunCreated?.Invoke(run.Copy());
        Changes.Notify();
        return (run.Copy(), true);
    }

    public FlowRunRecord? FindFlowRun(Guid id)
    {
        lock (gate)
        {
            return runs.GetValueOrDefault(id)?.Copy();
        }
    }

    /// <summary>Every flow run, oldest first.</summary>
    public IReadOnlyList<FlowRunRecord> FlowRuns()
    {
        lock (gate)
        {
            return runOrder.Select(id => runs[id].Copy()).ToList();
        }
    }

    /// <summary>Moves a run to a new state (no orchestration rules); null when the run does not exist.</summary>
    public FlowRunRecord? SetState(Guid flowRunId, string type, string? name, string? message, DateTimeOffset? scheduledTime)
    {
        FlowRunRecord updated;
        FlowRunStateRecord previous;
        lock (gate)
        {
            if (!runs.TryGetValue(flowRunId, out var run))
            {
                return null;
            }

            var now = time.GetUtcNow();
            if (type == StateTypes.Cancelling && run.StartTime is null)
            {
                // Prefect's orchestration rules: a run that never started is cancelled at once, not "cancelling".
                (type, name) = (StateTypes.Cancelled, null);
            }

            previous = run.State;
            var entersRunning = type == StateTypes.Running && run.State.Type != StateTypes.Running;
            updated = run with
            {
                State = new FlowRunStateRecord(
                    Guid.NewGuid(),
                    type,
                    name ?? StateTypes.DefaultName(type),
                    now,
                    message,
                    type == StateTypes.Scheduled ? scheduledTime ?? now : null),
                Updated = now,
                StartTime = run.StartTime ?? (type == StateTypes.Running ? now : null),
                EndTime = StateTypes.IsTerminal(type) ? now : null,
                RunCount = run.RunCount + (entersRunning ? 1 : 0),
            };
            runs[flowRunId] = updated;
        }

        Events.Append(updated.Copy(), FindDeployment(updated.DeploymentId ?? Guid.Empty), previous);
        Changes.Notify();
        return updated.Copy();
    }

    /// <summary>Deletes a run (its idempotency key is freed, as the row is gone); false when it does not exist.</summary>
    public bool DeleteFlowRun(Guid flowRunId)
    {
        lock (gate)
        {
            if (!runs.Remove(flowRunId, out var run))
            {
                return false;
            }

            runOrder.Remove(flowRunId);
            if (run.IdempotencyKey is { } key)
            {
                idempotencyKeys.Remove((run.FlowId, key));
            }
        }

        Changes.Notify();
        return true;
    }

    /// <summary>Merges labels into a run's (<c>PATCH /flow_runs/{id}/labels</c>); null when the run does not exist.</summary>
    public FlowRunRecord? UpdateLabels(Guid flowRunId, System.Text.Json.Nodes.JsonObject labels)
    {
        FlowRunRecord updated;
        lock (gate)
        {
            if (!runs.TryGetValue(flowRunId, out var run))
            {
                return null;
            }

            var merged = run.Labels.DeepClone().AsObject();
            foreach (var (key, value) in labels)
            {
                merged[key] = value?.DeepClone();
            }

            updated = run with { Labels = merged, Updated = time.GetUtcNow() };
            runs[flowRunId] = updated;
        }

        Changes.Notify();
        return updated.Copy();
    }

    /// <summary>Sets a deployment's <c>status</c> (<c>READY</c>, or <c>NOT_READY</c> when no worker polls).</summary>
    public DeploymentRecord SetDeploymentStatus(Guid deploymentId, string status)
    {
        DeploymentRecord updated;
        lock (gate)
        {
            if (!deployments.TryGetValue(deploymentId, out var deployment))
            {
                throw new KeyNotFoundException($"The Prefect emulator has no deployment {deploymentId}.");
            }

            deployments[deploymentId] = updated = deployment with { Status = status };
        }

        Changes.Notify();
        return updated.Copy();
    }

    public void RecordCreateCall(CreateFlowRunCall call)
    {
        lock (gate)
        {
            createCalls.Add(call with { Body = call.Body?.DeepClone().AsObject() });
        }

        Changes.Notify();
    }

    public IReadOnlyList<CreateFlowRunCall> CreateCalls()
    {
        lock (gate)
        {
            return createCalls.Select(c => c with { Body = c.Body?.DeepClone().AsObject() }).ToList();
        }
    }
}

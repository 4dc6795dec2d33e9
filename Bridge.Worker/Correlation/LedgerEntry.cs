namespace Bridge.Worker.Correlation;

/// <summary>
/// The last status this worker posted (or found already reported) on a (commit, key): for a run, or with
/// <see cref="Guid.Empty"/> for a refusal that started no run.
/// </summary>
internal sealed record LedgerEntry(Guid RunId, string State, string Description);

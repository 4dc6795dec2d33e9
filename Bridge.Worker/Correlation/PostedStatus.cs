namespace Bridge.Worker.Correlation;

/// <summary>A status this worker posted (or found already reported) for a run.</summary>
internal sealed record PostedStatus(Guid RunId, string State, string Description);

namespace Bridge.Worker.Correlation;

/// <summary>An unfinished run as last seen: its correlation, deployment, and when it should have started.</summary>
internal sealed record TrackedRun(CorrelatedRun Run, Guid? DeploymentId, string? WorkPoolName, DateTimeOffset? ExpectedStartTime);

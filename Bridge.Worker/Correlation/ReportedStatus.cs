namespace Bridge.Worker.Correlation;

/// <summary>A build state and its description, as Bridge posts them.</summary>
internal sealed record ReportedStatus(string State, string Description)
{
    public bool IsFinal => State is not Bitbucket.BuildState.InProgress;
}

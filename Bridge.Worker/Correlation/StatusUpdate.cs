namespace Bridge.Worker.Correlation;

/// <summary>A build state and its description, as Bridge posts them.</summary>
internal sealed record StatusUpdate(string State, string Description)
{
    public bool IsFinal => State is not Bitbucket.BuildState.InProgress;
}

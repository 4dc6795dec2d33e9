namespace Bridge.Worker.Bitbucket;

/// <summary>The states of a Bitbucket build status.</summary>
internal static class BuildState
{
    public const string InProgress = "INPROGRESS";
    public const string Successful = "SUCCESSFUL";
    public const string Failed = "FAILED";
    public const string Stopped = "STOPPED";
}

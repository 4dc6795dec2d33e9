namespace Bridge.Worker.Prefect;

/// <summary>Prefect's state types; decide outcomes on the type, show the state's name to people.</summary>
internal static class PrefectStateTypes
{
    public const string Scheduled = "SCHEDULED";
    public const string Pending = "PENDING";
    public const string Running = "RUNNING";
    public const string Completed = "COMPLETED";
    public const string Failed = "FAILED";
    public const string Cancelled = "CANCELLED";
    public const string Crashed = "CRASHED";
    public const string Paused = "PAUSED";
    public const string Cancelling = "CANCELLING";

    public static IReadOnlyList<string> Terminal { get; } = [Completed, Failed, Cancelled, Crashed];

    public static bool IsTerminal(string? type) => type is Completed or Failed or Cancelled or Crashed;
}

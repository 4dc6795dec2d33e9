namespace Bridge.Sandbox.Emulators;

/// <summary>Prefect's StateType values and their default state names.</summary>
public static class StateTypes
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

    public static IReadOnlyList<string> All { get; } =
        [Scheduled, Pending, Running, Completed, Failed, Cancelled, Crashed, Paused, Cancelling];

    /// <summary>COMPLETED, FAILED, CANCELLED, CRASHED.</summary>
    public static bool IsTerminal(string type) => type is Completed or Failed or Cancelled or Crashed;

    /// <summary>The name Prefect gives a state of this type when none is given (<c>RUNNING</c> → <c>Running</c>).</summary>
    public static string DefaultName(string type) =>
        type.Length == 0 ? type : string.Concat(type[..1], type[1..].ToLowerInvariant());
}

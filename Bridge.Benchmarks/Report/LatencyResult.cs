namespace Bridge.Benchmarks.Report;

/// <summary>
/// Events published at a steady rate to a freshly started, idle worker: publish → INPROGRESS at the fake upstream, and
/// what the start itself showed (start → consumer bound, resident memory once started and idle).
/// </summary>
internal sealed record LatencyResult(
    int Events,
    int InProgress,
    double TargetRate,
    double AchievedRate,
    double P50Ms,
    double P99Ms,
    double MaxMs,
    double StartToBoundSeconds,
    double IdleRssMb);

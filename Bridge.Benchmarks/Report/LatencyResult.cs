namespace Bridge.Benchmarks.Report;

/// <summary>
/// Events published at a steady rate to a freshly started, idle worker: publish → INPROGRESS at the fake upstream, and
/// what the start itself showed (start → consumer bound, resident memory once started and idle); the managed allocations
/// of those events, per event (the worker's <c>dotnet.gc.heap.total_allocated</c> before the first and after the last).
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
    double IdleRssMb,
    double AllocatedKbPerEvent);

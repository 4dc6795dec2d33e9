namespace Bridge.Benchmarks.Report;

/// <summary>
/// Events published at a steady rate whose runs end <c>RunLength</c> after they are created: run ended (told on the
/// event stream) → its final status at the fake upstream, and the upstream calls per event over the runs' whole life.
/// </summary>
internal sealed record CompletionResult(
    int Events,
    int Finals,
    double AchievedRate,
    double P50Ms,
    double P99Ms,
    double MaxMs,
    double PrefectCallsPerEvent,
    double BitbucketCallsPerEvent);

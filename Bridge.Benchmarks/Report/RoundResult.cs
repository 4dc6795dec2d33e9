namespace Bridge.Benchmarks.Report;

/// <summary>One round: Bridge's drain and the floor's (in the order the round ran them), then the latency and completion phases.</summary>
internal sealed record RoundResult(int Round, DrainResult Bridge, DrainResult Floor, LatencyResult Latency, CompletionResult Completion)
{
    /// <summary>Bridge / queue floor events per second, this pair.</summary>
    public double Ratio => Bridge.EventsPerSecond / Floor.EventsPerSecond;
}

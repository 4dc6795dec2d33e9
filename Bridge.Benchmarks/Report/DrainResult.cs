namespace Bridge.Benchmarks.Report;

/// <summary>
/// One drain of pre-queued events by one contender: from the first event call the fake upstream saw (a pipeline read)
/// to the last INPROGRESS status, with the CPU the contender and the broker used in between.
/// </summary>
internal sealed record DrainResult(
    string Contender,
    int Events,
    int InProgress,
    double Seconds,
    double ContenderCpuMs,
    double BrokerCpuMs,
    double StartToBoundSeconds,
    double PeakRssMb,
    IReadOnlyDictionary<string, long> Calls)
{
    public double EventsPerSecond => Events / Seconds;

    public double ContenderCpuMsPerEvent => ContenderCpuMs / Events;

    public double BrokerCpuMsPerEvent => BrokerCpuMs / Events;

    public double CallsPerEvent(string endpoint) => Calls.TryGetValue(endpoint, out var n) ? (double)n / Events : 0;

    public double AllCallsPerEvent => (double)Calls.Values.Sum() / Events;
}

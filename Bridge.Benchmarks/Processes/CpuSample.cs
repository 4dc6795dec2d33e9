namespace Bridge.Benchmarks.Processes;

/// <summary>CPU time used so far (ms) by a contender and by the broker's processes.</summary>
internal sealed record CpuSample(double ContenderMs, double BrokerMs)
{
    public static CpuSample Take(int contender, IReadOnlyList<int> broker) =>
        new(ProcStats.CpuMilliseconds(contender), ProcStats.CpuMilliseconds(broker));
}

using System.Globalization;
using System.Text;

namespace Bridge.Benchmarks.Faults;

/// <summary>Prefect's and Bitbucket's calls per minute of the correlation paths, with one replica and with three, under the same load.</summary>
internal sealed record CorrelationLoad(int Events, int Seconds, IReadOnlyList<(string Path, double One, double Three)> PerMinute, string? Failure)
{
    public string Render()
    {
        var table = new StringBuilder();
        table.Append(CultureInfo.InvariantCulture, $"Prefect and Bitbucket calls per minute of the correlation paths, {Events:N0} events at 5/s over {Seconds} s, counted from the load's start to {Seconds + CorrelationWindow.Settle} s later:\n\n");
        table.Append("| correlation path | 1 replica | 3 replicas |\n|---|---|---|\n");
        foreach (var (path, one, three) in PerMinute)
        {
            table.Append(CultureInfo.InvariantCulture, $"| {path} | {one:0.0} | {three:0.0} |\n");
        }

        if (Failure is not null)
        {
            table.Append(CultureInfo.InvariantCulture, $"\n(failed: {Failure})\n");
        }

        return table.ToString();
    }
}

/// <summary>How long after the load the correlation calls are still counted.</summary>
internal static class CorrelationWindow
{
    public const int Settle = 15;
}

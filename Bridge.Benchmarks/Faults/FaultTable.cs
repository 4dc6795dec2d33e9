using System.Text;

namespace Bridge.Benchmarks.Faults;

/// <summary>The fault run's table: one row group per scenario, then Prefect's correlation calls per minute side by side.</summary>
internal static class FaultTable
{
    public const string Header = "| scenario | figure | value |";

    public static string Render(string title, IReadOnlyList<ScenarioResult> scenarios, CorrelationLoad? load)
    {
        ArgumentNullException.ThrowIfNull(scenarios);
        var table = new StringBuilder();
        table.Append(title).Append("\n\n").Append(Header).Append("\n|---|---|---|\n");
        foreach (var scenario in scenarios)
        {
            var first = true;
            foreach (var (figure, value) in scenario.Rows)
            {
                table.Append("| ").Append(first ? scenario.Scenario : "").Append(" | ").Append(figure).Append(" | ").Append(value).Append(" |\n");
                first = false;
            }
        }

        if (load is not null)
        {
            table.Append('\n').Append(load.Render());
        }

        return table.ToString();
    }
}

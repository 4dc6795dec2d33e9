namespace Bridge.Benchmarks.Report;

/// <summary>What a run measured, round by round, and the table it prints.</summary>
internal sealed record BenchReport(IReadOnlyList<RoundResult> Rounds, string Table);

namespace Bridge.Benchmarks;

/// <summary>The harness's options: <c>--events N --rounds R --worker PATH/bridge.dll [--concurrency N] [--logs DIR]</c>.</summary>
internal sealed record BenchOptions
{
    public const string Usage = """
        usage: Bridge.Benchmarks --worker PATH/bridge.dll [--events N] [--rounds R] [--concurrency N] [--logs DIR]
          --worker   the published worker (scripts/bench publishes it Release and passes it)
          --events   events per phase: pre-queued for each drain, published at a steady rate for the latency (default 5000)
          --rounds   rounds; each drains with Bridge and with the queue floor (order alternating) and measures latency (default 3)
          --concurrency  events at once for Bridge and the floor, prefetch twice that (default: Bridge's defaults, 8 and 16)
          --logs     keep the worker's and the floor's logs in DIR (default: a temporary folder, removed at the end)
        """;

    public int Events { get; init; } = 5_000;

    public int Rounds { get; init; } = 3;

    public string Worker { get; init; } = "";

    public string? Logs { get; init; }

    /// <summary>Events handled at once by both contenders (Bridge's <c>ConcurrentMessageLimit</c>); null for Bridge's default.</summary>
    public int? Concurrency { get; init; }

    /// <summary>The options, or null with <paramref name="error"/> set (empty for --help).</summary>
    public static BenchOptions? Parse(IReadOnlyList<string> arguments, out string? error)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var options = new BenchOptions();
        error = null;
        for (var i = 0; i < arguments.Count; i++)
        {
            var value = i + 1 < arguments.Count ? arguments[i + 1] : null;
            switch (arguments[i])
            {
                case "--help" or "-h":
                    error = "";
                    return null;
                case "--events" when HarnessArguments.Positive(value) is { } events:
                    options = options with { Events = events };
                    i++;
                    break;
                case "--rounds" when HarnessArguments.Positive(value) is { } rounds:
                    options = options with { Rounds = rounds };
                    i++;
                    break;
                case "--concurrency" when HarnessArguments.Positive(value) is { } concurrency:
                    options = options with { Concurrency = concurrency };
                    i++;
                    break;
                case "--worker" when value is not null:
                    options = options with { Worker = Path.GetFullPath(value) };
                    i++;
                    break;
                case "--logs" when value is not null:
                    options = options with { Logs = Path.GetFullPath(value) };
                    i++;
                    break;
                default:
                    error = $"unknown or incomplete option '{arguments[i]}' (--events, --rounds and --concurrency take a positive whole number)";
                    return null;
            }
        }

        error = HarnessArguments.WorkerProblem(options.Worker);
        return error is null ? options : null;
    }
}

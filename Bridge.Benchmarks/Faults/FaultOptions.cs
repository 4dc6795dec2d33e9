namespace Bridge.Benchmarks.Faults;

/// <summary>The fault run's options (<c>Bridge.Benchmarks faults …</c>, which <c>scripts/faults</c> runs).</summary>
internal sealed record FaultOptions
{
    public const string Usage = """
        usage: Bridge.Benchmarks faults --worker PATH/bridge.dll [--small] [--events N] [--kills K] [--bad N]
                                        [--storm-events N] [--load-seconds S] [--poll-interval S] [--seed N]
                                        [--only LIST] [--logs DIR]
          --worker        the published worker (scripts/faults publishes it Release and passes it)
          --small         a few hundred events and one kill, 1,000 bad messages, 15 s of correlation load (CI)
          --events        events of the kill run, published at 100/s (default 2000; --small 300)
          --kills         kill -9 this many replicas during it, the lease holder first and every other time (default 3; --small 1)
          --bad           malformed or mutated messages published raw (default 10000; --small 1000)
          --storm-events  events under the upstream storms, and for SIGTERM, the broker restart, the lost responses
                          (default 500; --small 200)
          --load-seconds  seconds of steady load (5 events/s) for the correlation calls per minute, with one replica
                          and with three (default 60; --small 15)
          --poll-interval the replicas' Bridge:Correlation:PollInterval in seconds, e.g. 2 for many more watermark
                          writes (default: Bridge's own, 30 s)
          --seed          seed of the emulators' random faults and of the bad messages (default 12)
          --only          run only these scenarios (comma-separated: kill, storm, bad, lost, sigterm, broker, load)
          --logs          keep the replicas' logs in DIR (default: a temporary folder, removed at the end)
        """;

    public static readonly IReadOnlyList<string> ScenarioNames = ["kill", "storm", "bad", "lost", "sigterm", "broker", "load"];

    public string Worker { get; init; } = "";

    public bool Small { get; init; }

    public int Events { get; init; } = 2_000;

    public int Kills { get; init; } = 3;

    public int BadMessages { get; init; } = 10_000;

    public int StormEvents { get; init; } = 500;

    public int LoadSeconds { get; init; } = 60;

    public int Seed { get; init; } = 12;

    /// <summary>The replicas' <c>Bridge:Correlation:PollInterval</c>; null leaves Bridge's default.</summary>
    public int? PollIntervalSeconds { get; init; }

    public string? Logs { get; init; }

    /// <summary>The scenarios to run (<see cref="ScenarioNames"/>); all of them by default.</summary>
    public IReadOnlySet<string> Only { get; init; } = ScenarioNames.ToHashSet(StringComparer.Ordinal);

    /// <summary>Events per second of the kill, storm, SIGTERM and broker runs.</summary>
    public double Rate { get; init; } = 100;

    /// <summary>How long a scenario waits for every run's final status after its last event.</summary>
    public TimeSpan SettleDeadline { get; init; } = TimeSpan.FromSeconds(150);

    public static FaultOptions SmallRun(string worker) => new()
    {
        Worker = worker,
        Small = true,
        Events = 300,
        Kills = 1,
        BadMessages = 1_000,
        StormEvents = 200,
        LoadSeconds = 15,
    };

    /// <summary>The options, or null with <paramref name="error"/> set (empty for --help).</summary>
    public static FaultOptions? Parse(IReadOnlyList<string> arguments, out string? error)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        error = null;
        var options = arguments.Contains("--small") ? SmallRun("") : new FaultOptions();
        for (var i = 0; i < arguments.Count; i++)
        {
            var value = i + 1 < arguments.Count ? arguments[i + 1] : null;
            switch (arguments[i])
            {
                case "--help" or "-h":
                    error = "";
                    return null;
                case "--small":
                    break;
                case "--worker" when value is not null:
                    options = options with { Worker = Path.GetFullPath(value) };
                    i++;
                    break;
                case "--logs" when value is not null:
                    options = options with { Logs = Path.GetFullPath(value) };
                    i++;
                    break;
                case "--only" when value?.Split(',') is { } names && names.All(ScenarioNames.Contains):
                    options = options with { Only = names.ToHashSet(StringComparer.Ordinal) };
                    i++;
                    break;
                case "--events" when HarnessArguments.Positive(value) is { } n:
                    options = options with { Events = n };
                    i++;
                    break;
                case "--kills" when HarnessArguments.Positive(value) is { } n:
                    options = options with { Kills = n };
                    i++;
                    break;
                case "--bad" when HarnessArguments.Positive(value) is { } n:
                    options = options with { BadMessages = n };
                    i++;
                    break;
                case "--storm-events" when HarnessArguments.Positive(value) is { } n:
                    options = options with { StormEvents = n };
                    i++;
                    break;
                case "--load-seconds" when HarnessArguments.Positive(value) is { } n:
                    options = options with { LoadSeconds = n };
                    i++;
                    break;
                case "--poll-interval" when HarnessArguments.Positive(value) is { } n:
                    options = options with { PollIntervalSeconds = n };
                    i++;
                    break;
                case "--seed" when HarnessArguments.Positive(value) is { } n:
                    options = options with { Seed = n };
                    i++;
                    break;
                default:
                    error = $"unknown or incomplete option '{arguments[i]}' (the counts take a positive whole number; --only takes scenario names)";
                    return null;
            }
        }

        error = HarnessArguments.WorkerProblem(options.Worker);
        return error is null ? options : null;
    }
}

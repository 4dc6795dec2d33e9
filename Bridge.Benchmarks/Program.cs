using Bridge.Benchmarks;
using Bridge.Benchmarks.Faults;
using Bridge.Benchmarks.Floor;

// Bridge.Benchmarks --worker PATH/bridge.dll [--events N] [--rounds R]: the harness (scripts/bench runs it).
// Bridge.Benchmarks floor …: the queue floor, started by the harness.
// Bridge.Benchmarks faults --worker PATH/bridge.dll [--small] …: the fault run (scripts/faults runs it).
if (args is ["floor", .. var floorArguments])
{
    using var stop = new CancellationTokenSource();
    Console.CancelKeyPress += (_, e) =>
    {
        e.Cancel = true;
        stop.Cancel();
    };
    return await QueueFloor.RunAsync(FloorSettings.Parse(floorArguments), stop.Token);
}

if (args is ["faults", .. var faultArguments])
{
    if (FaultOptions.Parse(faultArguments, out var faultError) is not { } faultOptions)
    {
        await (faultError is "" ? Console.Out : Console.Error).WriteLineAsync(faultError is "" ? FaultOptions.Usage : $"faults: {faultError}\n{FaultOptions.Usage}");
        return faultError is "" ? 0 : 2;
    }

    var faults = await FaultRun.RunAsync(faultOptions, Console.Error);
    await Console.Out.WriteAsync(faults.Table);
    return 0;
}

if (BenchOptions.Parse(args, out var error) is not { } options)
{
    await (error is "" ? Console.Out : Console.Error).WriteLineAsync(error is "" ? BenchOptions.Usage : $"bench: {error}\n{BenchOptions.Usage}");
    return error is "" ? 0 : 2;
}

var report = await Harness.RunAsync(options, Console.Error);
await Console.Out.WriteAsync(report.Table);
return 0;

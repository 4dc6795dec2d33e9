using System.CommandLine;
using Bridge.Sandbox.Emulators;
using Bridge.Sandbox.Runner;

var broker = new Option<Uri>("--broker")
{
    Description = "The RabbitMQ to use when it answers; otherwise the in-memory transport is used.",
    DefaultValueFactory = _ => new Uri("amqp://guest:guest@localhost:5672/"),
};
var inMemory = new Option<bool>("--in-memory") { Description = "Use MassTransit's in-memory transport even when RabbitMQ answers." };
var timeout = new Option<int>("--timeout")
{
    Description = "Seconds to wait for every sample event to reach its outcome.",
    DefaultValueFactory = _ => 60,
};
var root = new RootCommand(
    "The Bridge sandbox: runs the real worker against emulated Prefect and Bitbucket and a broker, publishes sample "
    + "merge and tag events and a signed Bitbucket webhook (to the worker's ingress), prints their progress and a summary. "
    + "Exits 0 when every sample reached its outcome.")
{
    broker, inMemory, timeout,
};
root.SetAction((result, cancellationToken) => SandboxRun.RunAsync(
    result.GetValue(broker)!, result.GetValue(inMemory), TimeSpan.FromSeconds(result.GetValue(timeout)), Console.Out, cancellationToken));

var prefectPort = new Option<int>("--prefect-port") { Description = "Loopback port of the Prefect emulator.", DefaultValueFactory = _ => 4200 };
var bitbucketPort = new Option<int>("--bitbucket-port") { Description = "Loopback port of the Bitbucket emulator.", DefaultValueFactory = _ => 7990 };
var emulators = new Command("emulators", "Run only the Prefect and Bitbucket emulators on loopback ports until Ctrl+C, for manual poking.")
{
    prefectPort, bitbucketPort,
};
emulators.SetAction(async (result, cancellationToken) =>
{
    await StandaloneEmulators.RunStandaloneAsync(result.GetValue(prefectPort), result.GetValue(bitbucketPort), cancellationToken);
    return 0;
});
root.Subcommands.Add(emulators);

return await root.Parse(args).InvokeAsync();

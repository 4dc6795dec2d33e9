using System.Text.Json.Nodes;

namespace Bridge.Sandbox.Emulators;

/// <summary>Runs both emulators on fixed loopback ports until cancelled (for a CLI verb and manual runs).</summary>
public static class StandaloneEmulators
{
    /// <summary>
    /// Starts Prefect on <paramref name="prefectPort"/> and Bitbucket on <paramref name="bitbucketPort"/> (0 = any free
    /// port), seeds the deployments <c>bridge-demo/release</c> and <c>bridge-demo/merge-checks</c>, prints the URLs to
    /// <paramref name="output"/> (the console by default) and runs until <paramref name="cancellationToken"/> is cancelled.
    /// </summary>
    public static async Task RunStandaloneAsync(
        int prefectPort, int bitbucketPort, CancellationToken cancellationToken, TextWriter? output = null)
    {
        output ??= Console.Out;
        await using var prefect = await PrefectEmulator.StartAsync(new PrefectEmulatorOptions { Port = prefectPort }, cancellationToken);
        await using var bitbucket = await BitbucketEmulator.StartAsync(new BitbucketEmulatorOptions { Port = bitbucketPort }, cancellationToken);
        var deployments = Seed(prefect);

        await output.WriteLineAsync($"Prefect API     {prefect.ApiUrl}   (UI links: {prefect.UiUrl}/runs/flow-run/<id>)");
        foreach (var deployment in deployments)
        {
            await output.WriteLineAsync($"  deployment    {deployment.FullName}  id {deployment.Id}");
        }

        await output.WriteLineAsync($"Bitbucket API   {bitbucket.ApiUrl}");
        await output.WriteLineAsync("Press Ctrl+C to stop.");
        await output.FlushAsync(cancellationToken);

        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Normal shutdown.
        }
    }

    /// <summary>The demo deployments: a release flow with typed parameters and a merge-check flow.</summary>
    public static IReadOnlyList<DeploymentRecord> Seed(PrefectEmulator prefect)
    {
        ArgumentNullException.ThrowIfNull(prefect);
        var release = prefect.AddDeployment(
            "bridge-demo",
            "release",
            parameters: new JsonObject { ["environment"] = "staging" },
            tags: ["bridge-demo", "release"],
            parameterSchema: Schema(("commit", "string"), ("tag", "string"), ("environment", "string")));
        var mergeChecks = prefect.AddDeployment(
            "bridge-demo",
            "merge-checks",
            tags: ["bridge-demo", "merge-checks"],
            parameterSchema: Schema(("commit", "string"), ("branch", "string")));
        return [release, mergeChecks];
    }

    private static JsonObject Schema(params (string Name, string Type)[] properties)
    {
        var props = new JsonObject();
        foreach (var (name, type) in properties)
        {
            props[name] = new JsonObject { ["title"] = name, ["type"] = type };
        }

        return new JsonObject { ["title"] = "Parameters", ["type"] = "object", ["properties"] = props, ["definitions"] = new JsonObject() };
    }
}

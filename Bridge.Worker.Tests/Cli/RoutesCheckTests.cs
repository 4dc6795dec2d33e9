using Bridge.Tests.Support;

namespace Bridge.Tests.Cli;

/// <summary><c>bridge routes check FILE</c> as a process: no other setting, the worker's own loader, exit 0 or 2.</summary>
public sealed class RoutesCheckTests : IDisposable
{
    private readonly string file = Path.Combine(Path.GetTempPath(), $"bridge-routes-check-{Guid.NewGuid():N}.yaml");

    [Fact]
    public async Task A_valid_file_exits_0_and_lists_its_routes()
    {
        await File.WriteAllTextAsync(file, """
            routes:
              - name: release
                match: { repository: "acme/*", events: [tag], ref: "v*" }
                deployment: release/production
              - name: pushes
                match: { repository: "acme/*" }
                deployment: hooks/push
                webhooks: [repo:push]
            """);

        var exit = await BridgeProcess.RunAsync("routes", "check", file);

        Assert.True(exit.ExitCode == 0, exit.ToString());
        Assert.Contains($"{file}: valid, 2 route(s)", exit.Stdout, StringComparison.Ordinal);
        Assert.Contains("release: tag pipeline events, acme/*, ref v* → release/production", exit.Stdout, StringComparison.Ordinal);
        Assert.Contains("pushes: merge and tag repo:push webhooks, acme/* → hooks/push", exit.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_invalid_file_exits_2_naming_each_route_and_field_as_start_up_does()
    {
        await File.WriteAllTextAsync(file, """
            routes:
              - name: release
                match: { events: [push] }
                deployment: no-slash
                parameters: { commit: "{{ sha }}" }
              - name: hooks
                match: { repository: "acme/*" }
                deployment: hooks/push
                webhooks: [repo:push]
                cancelSuperseded: true
            """);

        var exit = await BridgeProcess.RunAsync("routes", "check", file);

        Assert.True(exit.ExitCode == 2, exit.ToString());
        Assert.Contains($"bridge routes check: {file} is not valid:", exit.Stderr, StringComparison.Ordinal);
        Assert.Contains($"  - {file}: routes[0] ('release').deployment: required", exit.Stderr, StringComparison.Ordinal);
        Assert.Contains("routes[0] ('release').match.events: 'push' is not an event kind", exit.Stderr, StringComparison.Ordinal);
        Assert.Contains("routes[0] ('release').parameters.commit: unknown placeholder '{{ sha }}'", exit.Stderr, StringComparison.Ordinal);
        Assert.Contains("routes[1] ('hooks').cancelSuperseded: not available on a route that takes webhooks", exit.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_file_or_broken_yaml_exits_2()
    {
        var missing = await BridgeProcess.RunAsync("routes", "check", file);
        await File.WriteAllTextAsync(file, "routes: [ { name: x");
        var broken = await BridgeProcess.RunAsync("routes", "check", file);

        Assert.True(missing.ExitCode == 2, missing.ToString());
        Assert.Contains("does not exist", missing.Stderr, StringComparison.Ordinal);
        Assert.True(broken.ExitCode == 2, broken.ToString());
        Assert.Contains("not valid YAML at line", broken.Stderr, StringComparison.Ordinal);
    }

    public void Dispose() => File.Delete(file);
}

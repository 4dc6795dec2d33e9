using System.Diagnostics;
using System.Text.Json.Nodes;
using Bridge.Tests.Support;

namespace Bridge.Tests.Docker;

/// <summary>
/// The bridge-publish pipe (pipe/): every variable in pipe.yml names a real <c>bridge publish</c> option, is
/// documented in pipe/README.md, and pipe.sh turns it into that option (run here with a stand-in for dotnet).
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // pipe.sh runs under /bin/sh
public sealed class PipeTests
{
    private static List<(string Name, string Option, string Default)> Variables() =>
        [.. ((JsonArray)ShippedFiles.YamlAsJson(ShippedFiles.Read("pipe/pipe.yml"))!["variables"]!)
            .Select(v => (v!["name"]!.GetValue<string>(), v["option"]!.GetValue<string>(), v["default"]!.GetValue<string>()))];

    [Fact]
    public void The_pipe_metadata_has_the_fields_bitbucket_reads()
    {
        var pipe = (JsonObject)ShippedFiles.YamlAsJson(ShippedFiles.Read("pipe/pipe.yml"))!;

        Assert.All(new[] { "name", "image", "category", "description", "repository", "maintainer", "tags" }, key => Assert.True(pipe.ContainsKey(key), $"pipe.yml lacks {key}"));
        Assert.Contains("bridge-publish", pipe["image"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_variable_maps_to_an_option_of_bridge_publish_and_every_option_has_a_variable()
    {
        var help = await BridgeProcess.RunAsync("publish", "--help");
        var options = help.Stdout.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("--", StringComparison.Ordinal))
            .Select(l => l.Split(' ')[0]).Where(o => o is not "--help").ToList();

        Assert.True(help.ExitCode == 0, help.ToString());
        Assert.NotEmpty(options);
        Assert.Equal(options.Order(StringComparer.Ordinal), Variables().Select(v => v.Option).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Every_variable_is_in_the_pipe_readme_table_with_its_option_and_default()
    {
        var readme = ShippedFiles.Read("pipe/README.md");

        Assert.All(Variables(), v => Assert.Contains(
            $"| `{v.Name}` | `{v.Option}` | {(v.Default.Length == 0 ? "—" : $"`{v.Default}`")} |", readme, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Pipe_sh_waits_by_default_and_passes_only_the_options_set()
    {
        var arguments = await RunPipeAsync(new() { ["BRIDGE_INGRESS_URL"] = "https://bridge.example.com" });

        Assert.Equal(["/app/bridge.dll", "publish", "--ingress", "https://bridge.example.com", "--wait"], arguments);
    }

    [Fact]
    public async Task Pipe_sh_maps_every_variable_to_its_option()
    {
        var values = new Dictionary<string, string>
        {
            ["BRIDGE_INGRESS_URL"] = "https://bridge.example.com",
            ["BRIDGE_AMQP_URL"] = "amqp://u:p@rabbitmq.internal/",
            ["QUEUE"] = "my queue",
            ["WAIT"] = "true",
            ["TIMEOUT"] = "45m",
            ["POLL_INTERVAL"] = "10s",
            ["DRY_RUN"] = "true",
        };

        var arguments = await RunPipeAsync(values);

        Assert.Equal(Variables().Select(v => v.Name).Order(StringComparer.Ordinal), values.Keys.Order(StringComparer.Ordinal));
        Assert.All(Variables(), v =>
        {
            var at = arguments.IndexOf(v.Option);
            Assert.True(at > 0, $"{v.Name} did not become {v.Option}: {string.Join(' ', arguments)}");
            if (v.Name is not ("WAIT" or "DRY_RUN"))
            {
                Assert.Equal(values[v.Name], arguments[at + 1]);
            }
        });
    }

    [Fact]
    public async Task Pipe_sh_leaves_out_wait_when_wait_is_false()
    {
        var arguments = await RunPipeAsync(new() { ["BRIDGE_AMQP_URL"] = "amqp://u:p@rabbitmq.internal/", ["WAIT"] = "false" });

        Assert.DoesNotContain("--wait", arguments);
    }

    /// <summary>Runs pipe/pipe.sh with a stand-in <c>dotnet</c> first on PATH that prints its arguments, one a line.</summary>
    private static async Task<List<string>> RunPipeAsync(Dictionary<string, string> variables)
    {
        var bin = Directory.CreateTempSubdirectory("bridge-pipe-");
        try
        {
            var dotnet = Path.Combine(bin.FullName, "dotnet");
            await File.WriteAllTextAsync(dotnet, "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done\n");
            File.SetUnixFileMode(dotnet, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            var start = new ProcessStartInfo("/bin/sh", [ShippedFiles.Path("pipe/pipe.sh")]) { RedirectStandardOutput = true, RedirectStandardError = true };
            start.Environment.Clear();
            start.Environment["PATH"] = $"{bin.FullName}:/usr/bin:/bin";
            foreach (var (name, value) in variables)
            {
                start.Environment[name] = value;
            }

            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await process.WaitForExitAsync(deadline.Token);
            Assert.True(process.ExitCode == 0, $"pipe.sh exited {process.ExitCode}: {await stderr}");
            return [.. (await stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries)];
        }
        finally
        {
            bin.Delete(recursive: true);
        }
    }
}

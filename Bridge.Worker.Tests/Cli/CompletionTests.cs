using System.Diagnostics;
using Bridge.Tests.Support;

namespace Bridge.Tests.Cli;

/// <summary><c>bridge completion bash|zsh</c>: the printed script completes verbs and options by asking bridge itself.</summary>
public sealed class CompletionTests
{
    [Fact]
    public async Task The_bash_script_completes_verbs_and_options_from_the_binary()
    {
        var script = await BridgeProcess.RunAsync("completion", "bash");
        Assert.True(script.ExitCode == 0, script.ToString());
        var file = Path.Combine(Path.GetTempPath(), $"bridge-completion-{Guid.NewGuid():N}.bash");
        await File.WriteAllTextAsync(file, script.Stdout);
        try
        {
            var verbs = await CompleteAsync(file, "bridge ro");
            var options = await CompleteAsync(file, "bridge publish --poll");

            Assert.Equal("routes", verbs.Trim());
            Assert.Equal("--poll-interval", options.Trim());
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task The_zsh_script_registers_a_completion_function_for_bridge()
    {
        var script = await BridgeProcess.RunAsync("completion", "zsh");

        Assert.True(script.ExitCode == 0, script.ToString());
        Assert.StartsWith("#compdef bridge", script.Stdout, StringComparison.Ordinal);
        Assert.Contains("compdef _bridge bridge", script.Stdout, StringComparison.Ordinal);
        Assert.Contains("[suggest:${#line}]", script.Stdout, StringComparison.Ordinal);
    }

    /// <summary>Runs the script's completion function in bash, as the shell would on Tab, with <c>bridge</c> a function running the built binary.</summary>
    private static async Task<string> CompleteAsync(string scriptFile, string line)
    {
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } path ? path : "dotnet";
        var words = line.Split(' ');
        var program = $$"""
            bridge() { "{{host}}" "{{Path.Combine(AppContext.BaseDirectory, "bridge.dll")}}" "$@"; }
            complete() { :; }
            source "{{scriptFile}}"
            COMP_LINE='{{line}}'; COMP_POINT={{line.Length}}; COMP_WORDS=({{line}}); COMP_CWORD={{words.Length - 1}}
            _bridge_complete
            printf '%s\n' "${COMPREPLY[@]}"
            """;
        var start = new ProcessStartInfo("bash") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(program);
        using var bash = Process.Start(start)!;
        bash.StandardInput.Close();
        var output = bash.StandardOutput.ReadToEndAsync();
        var error = bash.StandardError.ReadToEndAsync();
        await bash.WaitForExitAsync().WaitAsync(BridgeProcess.Deadline);
        Assert.True(bash.ExitCode == 0, await error);
        return await output;
    }
}

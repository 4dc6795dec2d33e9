using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Bridge.Tests.Docker;

/// <summary>
/// Both Dockerfiles pass npm's dockerfilelint (scripts/test installs it) and keep the rules it does not check: no
/// container engine runs here to build the images.
/// </summary>
public sealed partial class DockerfileRulesTests
{
    public static TheoryData<string> Dockerfiles() => ["docker/Dockerfile", "pipe/Dockerfile"];

    [Fact]
    public async Task Dockerfilelint_finds_no_issue_in_either_dockerfile()
    {
        var report = await LintAsync(ShippedFiles.Path("docker/Dockerfile"), ShippedFiles.Path("pipe/Dockerfile"));

        Assert.Equal(2, ((JsonArray)report["files"]!).Count);
        Assert.True(report["totalIssues"]!.GetValue<int>() == 0, report.ToJsonString());
    }

    [Fact]
    public async Task Dockerfilelint_reports_a_latest_base_and_an_unattended_apt_get()
    {
        var bad = Path.Combine(Directory.CreateTempSubdirectory("bridge-lint-").FullName, "Dockerfile");
        await File.WriteAllTextAsync(bad, "FROM ubuntu:latest\nRUN apt-get install curl\n");

        var report = await LintAsync(bad);

        var titles = ((JsonArray)report["files"]![0]!["issues"]!).Select(i => i!["title"]!.GetValue<string>()).ToList();
        Assert.Contains("Base Image Latest Tag", titles);
        Assert.Contains("Missing parameter for `apt-get`", titles);
        Directory.Delete(Path.GetDirectoryName(bad)!, recursive: true);
    }

    /// <summary>dockerfilelint's JSON report of <paramref name="files"/>.</summary>
    private static async Task<JsonNode> LintAsync(params string[] files)
    {
        var start = new ProcessStartInfo("dockerfilelint", ["-o", "json", .. files]) { RedirectStandardOutput = true, RedirectStandardError = true };
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("dockerfilelint is not installed: run the tests with scripts/test, which installs it (npm install -g dockerfilelint@1.8.0)", e);
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await process.WaitForExitAsync(deadline.Token);
            return JsonNode.Parse(await stdout) ?? throw new InvalidOperationException($"dockerfilelint printed nothing: {await stderr}");
        }
    }

    private static List<string> Instructions(string file) =>
        [.. ShippedFiles.Read(file).Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#'))];

    [Theory]
    [MemberData(nameof(Dockerfiles))]
    public void Every_base_image_is_pinned_to_a_tag_and_none_is_latest(string file)
    {
        var bases = Instructions(file).Where(l => l.StartsWith("FROM ", StringComparison.Ordinal)).Select(l => l.Split(' ')[1]).ToList();

        Assert.NotEmpty(bases);
        Assert.All(bases, image =>
        {
            Assert.Matches(@"^mcr\.microsoft\.com/dotnet/[a-z-]+:10\.0-[a-z-]+$", image);
            Assert.DoesNotContain(":latest", image, StringComparison.Ordinal);
        });
    }

    [Theory]
    [MemberData(nameof(Dockerfiles))]
    public void The_final_stage_runs_as_the_images_non_root_user(string file)
    {
        var final = FinalStage(file);
        var user = final.LastOrDefault(l => l.StartsWith("USER ", StringComparison.Ordinal));

        Assert.Equal("USER $APP_UID", user);
        Assert.True(final.IndexOf(user!) > final.FindLastIndex(l => l.StartsWith("RUN ", StringComparison.Ordinal) || l.StartsWith("COPY ", StringComparison.Ordinal)),
            "USER must come after the last RUN/COPY of the final stage");
    }

    [Theory]
    [MemberData(nameof(Dockerfiles))]
    public void Files_copied_into_the_final_stage_are_owned_by_that_user(string file)
    {
        var copies = FinalStage(file).Where(l => l.StartsWith("COPY ", StringComparison.Ordinal)).ToList();

        Assert.NotEmpty(copies);
        Assert.All(copies, c => Assert.Contains("--chown=$APP_UID:$APP_UID", c, StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Dockerfiles))]
    public void Nothing_is_fetched_with_ADD_or_piped_into_a_shell(string file)
    {
        var instructions = Instructions(file);

        Assert.DoesNotContain(instructions, l => l.StartsWith("ADD ", StringComparison.Ordinal));
        Assert.DoesNotContain(instructions, l => CurlToShell().IsMatch(l));
    }

    [Theory]
    [MemberData(nameof(Dockerfiles))]
    public void The_entrypoint_is_in_exec_form(string file)
    {
        var entrypoint = Assert.Single(Instructions(file), l => l.StartsWith("ENTRYPOINT ", StringComparison.Ordinal));

        Assert.StartsWith("ENTRYPOINT [\"", entrypoint, StringComparison.Ordinal);
    }

    [Fact]
    public void The_worker_image_is_chiseled_and_names_its_health_probe()
    {
        var text = ShippedFiles.Read("docker/Dockerfile");

        Assert.Equal("FROM mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled", FinalStage("docker/Dockerfile")[0]);
        // A chiseled image has no shell for a HEALTHCHECK: the probe is documented instead.
        Assert.True(text.Contains("HEALTHCHECK", StringComparison.Ordinal) || (text.Contains("/health/live", StringComparison.Ordinal) && text.Contains("/health/ready", StringComparison.Ordinal)));
    }

    [Fact]
    public void The_build_context_leaves_out_build_output_test_results_and_git()
    {
        var ignored = ShippedFiles.Read(".dockerignore").Split('\n').Select(l => l.Trim()).ToList();

        Assert.All(new[] { "**/bin/", "**/obj/", "**/TestResults/", ".git/", "docker/.env" }, pattern => Assert.Contains(pattern, ignored));
    }

    private static List<string> FinalStage(string file)
    {
        var instructions = Instructions(file);
        return instructions[instructions.FindLastIndex(l => l.StartsWith("FROM ", StringComparison.Ordinal))..];
    }

    [GeneratedRegex(@"(curl|wget)[^|]*\|\s*(ba)?sh")]
    private static partial Regex CurlToShell();
}

using System.CommandLine;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;

namespace Bridge.Worker.Cli;

/// <summary>
/// The <c>bridge</c> command line: the list of verbs, and one rule for all of them: a usage error (unknown verb or
/// option, missing argument, bad value) prints what is wrong and exits <see cref="UsageError"/>, never 1, which
/// <c>publish --wait</c> uses for a failed flow run.
/// </summary>
internal static class BridgeCli
{
    public const int UsageError = 2;

    public static RootCommand Create() =>
        new("Bridge turns Bitbucket merge and tag events into Prefect flow runs and reports them as commit build statuses.")
        {
            RunCommand.Create(),
            IssuerCommand.Create(),
            PublishCommand.Create(),
            RoutesCommand.Create(),
            DoctorCommand.Create(),
            RedriveCommand.Create(),
            CompletionCommand.Create(),
        };

    public static async Task<int> InvokeAsync(string[] args)
    {
        var parsed = Create().Parse(args);
        if (parsed.Action is not ParseErrorAction)
        {
            return await parsed.InvokeAsync();
        }

        foreach (var error in parsed.Errors)
        {
            await Console.Error.WriteLineAsync($"bridge: {error.Message}");
        }

        await Console.Error.WriteLineAsync($"Run '{CommandPath(parsed.CommandResult)} --help' for usage.");
        return UsageError;
    }

    private static string CommandPath(CommandResult command)
    {
        var names = new List<string>();
        for (SymbolResult? result = command; result is not null; result = result.Parent)
        {
            if (result is CommandResult { Command: var c })
            {
                names.Insert(0, c is RootCommand ? "bridge" : c.Name);
            }
        }

        return string.Join(' ', names);
    }
}

using System.CommandLine;
using Bridge.Worker.Redrive;

namespace Bridge.Worker.Cli;

/// <summary>
/// <c>bridge redrive</c>: moves dead letters from <c>{queue}_error</c> back to the queue, those that match its filters,
/// and prints each (<see cref="RedriveReport"/>); <c>--dry-run</c> only lists them.
/// </summary>
internal static partial class RedriveCommand
{
    /// <summary>The pass stopped before its end: the broker went away or did not take a message (which stays in <c>_error</c>).</summary>
    public const int Stopped = 1;

    /// <summary>The queue or its <c>_error</c> queue does not exist.</summary>
    public const int QueueMissing = 4;

    /// <summary>Interrupted (Ctrl-C), as a shell reports SIGINT.</summary>
    public const int Interrupted = 130;

    public static Command Create()
    {
        var queue = new Option<string?>("--queue")
        {
            Description = "The queue to move dead letters back to, from its _error queue: the same as the setting Bridge:Broker:Queue "
                + "(a webhook queue works too: Bridge:Webhooks:Queue).",
        };
        var reasons = new Option<string[]>("--reason")
        {
            Description = "Move only dead letters with this reason (repeatable): a Bridge-Failure-Reason (prefect-unavailable, "
                + "prefect-deployment-not-found, unreadable-message, unexpected…), a Bridge-Reject-Reason (expired-in-queue, unknown-kid…) "
                + "or the broker's x-first-death-reason (delivery_limit).",
            HelpName = "reason",
        };
        var olderThan = PositiveDuration("--older-than", "Move only dead letters that died at least this long ago (by MT-Fault-Timestamp, else the broker's x-death time)");
        var newerThan = PositiveDuration("--newer-than", "Move only dead letters that died at most this long ago (by MT-Fault-Timestamp, else the broker's x-death time)");
        var limit = new Option<int?>("--limit") { Description = "Move at most this many (the first that match).", HelpName = "count" };
        limit.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int?>() is <= 0)
            {
                result.AddError("--limit must be at least 1");
            }
        });
        var dryRun = new Option<bool>("--dry-run") { Description = "List what would be moved, and move nothing." };
        var command = new Command(
            "redrive",
            "Move dead letters from <queue>_error back to <queue> (Bridge:Broker:Queue, or --queue): those that match --reason and the age "
            + "filters, in their order, printing each one's event id, repository, reason, age, and whether the pipeline token inside has "
            + $"expired since (such an event comes back as {Identity.RejectReasons.ExpiredInQueue}: re-run the pipeline step instead), then a summary. "
            + "Each is published to the queue and confirmed by RabbitMQ before it is taken off _error, so a run that stops half-way "
            + "(Ctrl-C, a crash, the broker gone) loses nothing: at worst a message is in both queues, and its second delivery starts no "
            + "second flow run (the flow run's idempotency key returns the first) and posts the same statuses again. What does not match "
            + "stays in _error, in its order. Settings as for 'bridge run' (appsettings.json, environment variables, --Key=value arguments).")
        {
            queue, reasons, olderThan, newerThan, limit, dryRun,
        };
        command.Validators.Add(result =>
        {
            if (Given(result, olderThan) is { } older && Given(result, newerThan) is { } newer && older >= newer)
            {
                result.AddError("--older-than must be shorter than --newer-than: together they select the dead letters aged between the two");
            }
        });
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction((result, cancellationToken) =>
        {
            var settings = new List<string>(result.UnmatchedTokens);
            if (result.GetValue(queue) is { } name)
            {
                settings.Add($"--{Queue.BrokerOptions.Section}:Queue={name}");
            }

            var filter = new RedriveFilter(result.GetValue(reasons) ?? [], Given(result.CommandResult, olderThan), Given(result.CommandResult, newerThan));
            var options = new RedriveSettings([.. settings], filter, result.GetValue(limit), result.GetValue(dryRun));
            return RunAsync(options, Console.Out, Console.Error, TimeProvider.System, cancellationToken);
        });
        return command;
    }

    private static Option<TimeSpan> PositiveDuration(string name, string description)
    {
        var option = Durations.Option(name, description, TimeSpan.Zero);
        option.DefaultValueFactory = null;
        option.Validators.Add(result =>
        {
            if (result.Tokens.Count > 0 && Durations.TryParse(result.Tokens[0].Value, out var value) && value <= TimeSpan.Zero)
            {
                result.AddError($"{name} must be longer than 0s");
            }
        });
        return option;
    }

    /// <summary>The duration given on the command line, or null when the option was left out.</summary>
    private static TimeSpan? Given(System.CommandLine.Parsing.SymbolResult result, Option<TimeSpan> option) =>
        result.GetResult(option) is { Tokens: [var token] } && Durations.TryParse(token.Value, out var value) ? value : null;
}

using System.CommandLine;

namespace Bridge.Worker.Cli;

/// <summary><c>bridge routes check|explain</c>: the routes file on its own, with no other setting, broker, Prefect or Bitbucket.</summary>
internal static class RoutesCommand
{
    public static Command Create() => new("routes", "Check a routes file, or explain which of its routes an event would start, without the worker's other settings.")
    {
        Check(),
        Explain(),
    };

    private static Command Check()
    {
        var file = new Argument<FileInfo>("file") { Description = "The routes file (YAML), as Bridge:Routing:File would name it." };
        var command = new Command(
            "check",
            "Load the routes file exactly as `bridge run` does at start-up and print every error, naming the route and field; "
            + "exit 0 when it is valid, 2 when it is not.")
        {
            file,
        };
        // The path as given, as Bridge:Routing:File is read at start-up, so the messages name it the same way.
        command.SetAction(result => RoutesCheck.Run(result.GetValue(file)!.ToString(), Console.Out, Console.Error));
        return command;
    }

    private static Command Explain()
    {
        var routes = new Option<FileInfo>("--routes") { Description = "The routes file (YAML).", Required = true };
        var @event = new Option<FileInfo?>("--event") { Description = "A PipelineEvent as JSON, as `bridge publish` sends it (`bridge publish --dry-run` prints one); oidcToken may be left out." };
        var webhook = new Option<FileInfo?>("--webhook") { Description = "A Bitbucket webhook body (repo:push or pullrequest:fulfilled) as JSON." };
        var headers = new Option<FileInfo?>("--headers") { Description = "With --webhook: the delivery's headers, one 'Name: value' a line (X-Event-Key and X-Request-UUID are used)." };
        var command = new Command(
            "explain",
            "Show which routes an event or webhook delivery matches, their rendered parameters with JSON types, tags, status name and key, "
            + "what their allow rules decide, and why every other route does not match. The step token, the webhook signature and the "
            + "commit are not checked here. Exit 0 when explained, 2 when the routes file or the input is not valid.")
        {
            routes, @event, webhook, headers,
        };
        command.Validators.Add(result =>
        {
            var hasEvent = result.GetResult(@event) is not null;
            var hasWebhook = result.GetResult(webhook) is not null;
            if (hasEvent == hasWebhook)
            {
                result.AddError("give either --event FILE or --webhook FILE --headers FILE");
            }
            else if (hasWebhook != (result.GetResult(headers) is not null))
            {
                result.AddError(hasWebhook ? "--webhook needs --headers FILE (X-Event-Key says which event the body is)" : "--headers goes with --webhook");
            }
        });
        command.SetAction(result =>
        {
            var input = result.GetValue(@event) is { } eventFile
                ? ExplainInput.Event(eventFile.ToString())
                : ExplainInput.Webhook(result.GetValue(webhook)!.ToString(), result.GetValue(headers)!.ToString());
            return RoutesExplain.Run(result.GetValue(routes)!.ToString(), input, Console.Out, Console.Error, TimeProvider.System);
        });
        return command;
    }
}

using System.CommandLine;
using Bridge.Worker.Cli;

var root = new RootCommand("Bridge turns Bitbucket merge and tag events into Prefect flow runs and reports them as commit build statuses.")
{
    RunCommand.Create(),
    IssuerCommand.Create(),
    PublishCommand.Create(),
    RoutesCommand.Create(),
};
return await root.Parse(args).InvokeAsync();

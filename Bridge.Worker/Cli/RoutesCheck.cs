using Bridge.Worker.Routing;

namespace Bridge.Worker.Cli;

/// <summary><c>bridge routes check FILE</c>: the worker's own loader (<see cref="RouteFile.Load"/>), so the verb and start-up always agree.</summary>
internal static class RoutesCheck
{
    public static int Run(string path, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var (routes, errors) = RouteFile.Load(path);
        if (errors.Count > 0)
        {
            error.WriteLine($"bridge routes check: {path} is not valid:");
            foreach (var problem in errors)
            {
                error.WriteLine($"  - {problem}");
            }

            return RunCommand.ConfigurationError;
        }

        output.WriteLine($"{path}: valid, {routes.Count} route(s)");
        foreach (var route in routes)
        {
            output.WriteLine($"  {route.Name}: {RouteText.Takes(route)} → {route.Deployment}");
        }

        return 0;
    }
}

using Microsoft.Extensions.Options;

namespace Bridge.Worker.Routing;

/// <summary>Fails start-up when the routes file is missing or any route in it is wrong.</summary>
internal sealed class RoutingOptionsValidator : IValidateOptions<RoutingOptions>
{
    public ValidateOptionsResult Validate(string? name, RoutingOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.File))
        {
            return ValidateOptionsResult.Fail(
                $"{RoutingOptions.Section}:File is required: the path of the routes file (YAML), e.g. /etc/bridge/routes.yaml");
        }

        var (_, errors) = RouteFile.Load(options.File);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}

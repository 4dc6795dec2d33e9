using System.Net;
using Microsoft.Extensions.Options;

namespace Bridge.Worker.Ingress;

internal sealed class IngressOptionsValidator : IValidateOptions<IngressOptions>
{
    public ValidateOptionsResult Validate(string? name, IngressOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.Enabled)
        {
            return ValidateOptionsResult.Success;
        }

        var errors = new List<string>();
        if (options.Port is < 1 or > IPEndPoint.MaxPort)
        {
            errors.Add($"{IngressOptions.Section}:Port must be a TCP port from 1 to 65535 (e.g. 8443), not {options.Port}.");
        }

        if (!IPAddress.TryParse(options.BindAddress, out _))
        {
            errors.Add($"{IngressOptions.Section}:BindAddress must be an IP address such as 0.0.0.0 or 127.0.0.1.");
        }

        if (options.MaxBodyBytes is < 1024 or > 1024 * 1024)
        {
            errors.Add($"{IngressOptions.Section}:MaxBodyBytes must be from 1024 to 1048576 bytes (e.g. 65536), not {options.MaxBodyBytes}.");
        }

        if (options.PermitsPerRepository < 1)
        {
            errors.Add($"{IngressOptions.Section}:PermitsPerRepository must be at least 1 (e.g. 30), not {options.PermitsPerRepository}.");
        }

        if (options.RateLimitWindow < TimeSpan.FromSeconds(1) || options.RateLimitWindow > TimeSpan.FromHours(1))
        {
            errors.Add($"{IngressOptions.Section}:RateLimitWindow must be from 00:00:01 to 01:00:00 (e.g. 00:01:00), not {options.RateLimitWindow}.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}

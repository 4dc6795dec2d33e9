using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Bridge.Worker.Correlation;

internal sealed partial class CorrelationOptionsValidator : IValidateOptions<CorrelationOptions>
{
    private const string S = CorrelationOptions.Section;

    public ValidateOptionsResult Validate(string? name, CorrelationOptions options)
    {
        var errors = new List<string>();
        Positive(errors, options.PollInterval, "PollInterval", "00:00:30");
        Positive(errors, options.ReconnectMinDelay, "ReconnectMinDelay", "00:00:01");
        Positive(errors, options.RepairInterval, "RepairInterval", "00:05:00");
        Positive(errors, options.WorkerWaitThreshold, "WorkerWaitThreshold", "00:05:00");
        Positive(errors, options.LeaseRenewInterval, "LeaseRenewInterval", "00:00:02");
        if (options.LeaseTimeout < options.LeaseRenewInterval * 2)
        {
            errors.Add($"{S}:LeaseTimeout must be at least twice LeaseRenewInterval ({options.LeaseRenewInterval}), e.g. 00:00:10");
        }

        if (options.ReconnectMaxDelay < options.ReconnectMinDelay)
        {
            errors.Add($"{S}:ReconnectMaxDelay must be at least ReconnectMinDelay, e.g. 00:01:00");
        }

        NotNegative(errors, options.BackfillMargin, "BackfillMargin", "00:01:00");
        NotNegative(errors, options.PollOverlap, "PollOverlap", "00:00:10");
        NotNegative(errors, options.InitialLookback, "InitialLookback", "01:00:00");
        if (!VariableName().IsMatch(options.WatermarkVariable ?? string.Empty))
        {
            errors.Add($"{S}:WatermarkVariable must be a Prefect Variable name: 1–255 of a–z, 0–9, '_' and '-', e.g. bridge-watermark");
        }

        if (options.CallbackSecret is { Length: > 0 and < 16 })
        {
            errors.Add($"{S}:CallbackSecret must be at least 16 characters (a random shared secret), or empty for no callback endpoint");
        }

        if (string.IsNullOrEmpty(options.CallbackPath) || !options.CallbackPath.StartsWith('/'))
        {
            errors.Add($"{S}:CallbackPath must be a path starting with '/', e.g. /v1/prefect/flow-run-events");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void Positive(List<string> errors, TimeSpan value, string setting, string example)
    {
        if (value <= TimeSpan.Zero)
        {
            errors.Add($"{S}:{setting} must be positive, e.g. {example}");
        }
    }

    private static void NotNegative(List<string> errors, TimeSpan value, string setting, string example)
    {
        if (value < TimeSpan.Zero)
        {
            errors.Add($"{S}:{setting} must not be negative, e.g. {example}");
        }
    }

    [GeneratedRegex("^[a-z0-9_-]{1,255}$")]
    private static partial Regex VariableName();
}

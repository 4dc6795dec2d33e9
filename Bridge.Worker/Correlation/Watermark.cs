using System.Globalization;
using Bridge.Worker.Prefect;
using Microsoft.Extensions.Options;

namespace Bridge.Worker.Correlation;

/// <summary>
/// The poll's watermark: the time up to which every finished Bridge run has been reported. Kept in a Prefect Variable
/// (Prefect is the system of record), so a restarted worker neither misses runs that ended while it was down nor
/// walks through history again.
/// </summary>
internal sealed class Watermark(IOptions<CorrelationOptions> options, ILogger<Watermark> logger)
{
    private string? _written;

    public async Task<DateTimeOffset?> ReadAsync(IPrefectClient prefect, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(prefect);
        var text = await prefect.ReadVariableAsync(options.Value.WatermarkVariable, cancellationToken);
        if (text is null)
        {
            return null;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value))
        {
            _written = text;
            return value;
        }

        logger.LogWarning("Prefect Variable {Variable} holds {Value}, not a timestamp; starting from the initial look-back", options.Value.WatermarkVariable, text);
        return null;
    }

    public async Task WriteAsync(IPrefectClient prefect, DateTimeOffset value, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(prefect);
        var text = PrefectClient.Timestamp(value);
        if (text == _written)
        {
            return;
        }

        await prefect.WriteVariableAsync(options.Value.WatermarkVariable, text, cancellationToken);
        _written = text;
    }
}

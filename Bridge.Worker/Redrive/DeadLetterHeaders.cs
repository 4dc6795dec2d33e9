using System.Collections;
using System.Globalization;
using System.Text;
using Bridge.Worker.Queue;
using RabbitMQ.Client;

namespace Bridge.Worker.Redrive;

/// <summary>
/// The headers of a message in <c>{queue}_error</c> that say why and when it died, read as RabbitMQ.Client hands them
/// over (AMQP long strings as <c>byte[]</c>, <c>x-death</c> as a list of tables), and the properties it is redriven with.
/// </summary>
internal static class DeadLetterHeaders
{
    /// <summary>MassTransit's time of the fault (round-trip text) on what its error pipe moved.</summary>
    public const string FaultTimestamp = "MT-Fault-Timestamp";

    /// <summary>The broker's own dead-lettering: its reason on the first death, and every death with its time.</summary>
    public const string FirstDeathReason = "x-first-death-reason";
    public const string Deaths = "x-death";

    /// <summary>How often redrive moved this message back, and the reason it had when it last did.</summary>
    public const string RedriveCount = "Bridge-Redrive-Count";
    public const string RedrivenReason = "Bridge-Redriven-Reason";

    /// <summary>The reason headers, in the order their value names the dead letter's reason.</summary>
    public static readonly string[] ReasonHeaders = [FailureReasonHeaderFilter.FailureReasonHeader, FailureReasonHeaderFilter.RejectReasonHeader, FirstDeathReason];

    /// <summary>
    /// Headers that describe the death just redriven (MassTransit's fault and faulting host, the broker's deaths and
    /// delivery count): dropped, so that a second death says only its own reason and time.
    /// </summary>
    private static readonly string[] DeathHeaders =
        [FailureReasonHeaderFilter.FailureReasonHeader, FailureReasonHeaderFilter.RejectReasonHeader, "MT-Reason", Deaths, "x-delivery-count"];

    private static readonly string[] DeathHeaderPrefixes = ["MT-Fault-", "MT-Host-", "x-first-death-", "x-last-death-"];

    public static string? Text(IDictionary<string, object?>? headers, string name) =>
        headers is not null && headers.TryGetValue(name, out var value) ? Text(value) : null;

    /// <summary>When it died, and which header says so: MassTransit's fault timestamp, else the broker's latest <c>x-death</c>.</summary>
    public static (DateTimeOffset At, string Source)? DiedAt(IDictionary<string, object?>? headers)
    {
        if (Text(headers, FaultTimestamp) is { } text
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var fault))
        {
            return (fault, FaultTimestamp);
        }

        // x-death lists the latest death first.
        if (headers is not null && headers.TryGetValue(Deaths, out var deaths) && deaths is IList { Count: > 0 } list
            && list[0] is IDictionary<string, object?> latest && latest.TryGetValue("time", out var time) && time is AmqpTimestamp stamp)
        {
            return (DateTimeOffset.FromUnixTimeSeconds(stamp.UnixTime), $"{Deaths} time");
        }

        return null;
    }

    /// <summary>
    /// The message's own properties and headers for its way back, less the headers of its death (<see cref="DeathHeaders"/>),
    /// plus <see cref="RedriveCount"/> and <see cref="RedrivenReason"/>. A <c>user-id</c> other than the redriving user's
    /// is dropped: RabbitMQ refuses a publish whose <c>user-id</c> is not the publisher's.
    /// </summary>
    public static BasicProperties ForRedrive(IReadOnlyBasicProperties original, string reason, string? user)
    {
        ArgumentNullException.ThrowIfNull(original);
        var headers = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (name, value) in original.Headers ?? new Dictionary<string, object?>())
        {
            if (!IsDeathHeader(name))
            {
                headers[name] = value;
            }
        }

        var count = original.Headers is not null && original.Headers.TryGetValue(RedriveCount, out var previous) && previous is int or long
            ? Convert.ToInt64(previous, CultureInfo.InvariantCulture)
            : 0;
        headers[RedriveCount] = count + 1;
        headers[RedrivenReason] = reason;
        var properties = new BasicProperties(original) { Headers = headers };
        if (properties.UserId is { } id && id != user)
        {
            properties.UserId = null;
        }

        return properties;
    }

    private static bool IsDeathHeader(string name) =>
        DeathHeaders.Contains(name, StringComparer.Ordinal) || DeathHeaderPrefixes.Any(prefix => name.StartsWith(prefix, StringComparison.Ordinal));

    private static string? Text(object? value) => value switch
    {
        byte[] bytes => Encoding.UTF8.GetString(bytes),
        string text => text,
        null => null,
        _ => Convert.ToString(value, CultureInfo.InvariantCulture),
    };
}

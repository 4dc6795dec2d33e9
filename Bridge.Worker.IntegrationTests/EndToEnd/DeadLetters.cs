using Bridge.Tests.Infrastructure;
using Bridge.Tests.Support;

namespace Bridge.Tests.EndToEnd;

/// <summary>Reads what the worker dead-lettered to <c>{queue}_error</c>, with MassTransit's fault headers.</summary>
internal static class DeadLetters
{
    public const string FaultMessageHeader = "MT-Fault-Message";
    public const string RetryCountHeader = "MT-Fault-RetryCount";

    public static string ErrorQueue(string queue) => $"{queue}_error";

    /// <summary>Waits until the error queue holds <paramref name="count"/> messages (and no more), then takes them all.</summary>
    public static async Task<IReadOnlyList<DeadLetter>> TakeAsync(RabbitMqBroker broker, string queue, int count = 1)
    {
        await Eventually.WaitAsync(
            async () => await broker.MessageCountAsync(ErrorQueue(queue)) >= count,
            BridgeStack.Deadline,
            $"{count} message(s) are in {ErrorQueue(queue)}");
        var taken = new List<DeadLetter>();
        while (await broker.GetWithHeadersAsync(ErrorQueue(queue)) is { } message)
        {
            taken.Add(new DeadLetter(message.Body, message.ContentType, message.Headers));
        }

        Assert.Equal(count, taken.Count);
        return taken;
    }
}

/// <summary>A dead-lettered message: the original body and content type, and the headers MassTransit added.</summary>
internal sealed record DeadLetter(byte[] Body, string? ContentType, IReadOnlyDictionary<string, object?> Headers)
{
    public string FaultMessage => Headers.TryGetValue(DeadLetters.FaultMessageHeader, out var value) && value is string text
        ? text
        : throw new Xunit.Sdk.XunitException(
            $"The dead-lettered message has no {DeadLetters.FaultMessageHeader} header; headers: {string.Join(", ", Headers.Keys)}");

    /// <summary>How often MassTransit retried before giving up; it sets no header when it did not retry.</summary>
    public int RetryCount => Headers.TryGetValue(DeadLetters.RetryCountHeader, out var value) && value is not null
        ? Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture)
        : 0;

    /// <summary>Every header as text (nested AMQP arrays and tables included), for searching.</summary>
    public string HeaderText => string.Join('\n', Headers.Select(h => $"{h.Key}: {Render(h.Value)}"));

    private static string Render(object? value) => value switch
    {
        null => string.Empty,
        string text => text,
        byte[] bytes => System.Text.Encoding.UTF8.GetString(bytes),
        System.Collections.IDictionary table => string.Join(", ", table.Keys.Cast<object>().Select(k => $"{k}={Render(table[k])}")),
        System.Collections.IEnumerable items => string.Join(", ", items.Cast<object?>().Select(Render)),
        _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty,
    };
}

using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Bridge.Worker.Queue;

internal sealed partial class BrokerOptionsValidator : IValidateOptions<BrokerOptions>
{
    private const string S = BrokerOptions.Section;

    public ValidateOptionsResult Validate(string? name, BrokerOptions options)
    {
        var errors = new List<string>();
        if (!Enum.IsDefined(options.Transport))
        {
            errors.Add($"{S}:Transport must be RabbitMq or InMemory");
        }

        if (options.Transport == BrokerTransport.RabbitMq
            && (!Uri.TryCreate(options.Url, UriKind.Absolute, out var url) || url.Scheme is not ("amqp" or "amqps")))
        {
            errors.Add($"{S}:Url must be an AMQP URL, e.g. amqp://user:password@rabbitmq.example.com:5672/ (or amqps:// for TLS)");
        }

        if (string.IsNullOrWhiteSpace(options.Queue) || !QueueName().IsMatch(options.Queue))
        {
            errors.Add($"{S}:Queue must be 1–200 characters of letters, digits, '.', '_', ':' or '-' (got '{options.Queue}')");
        }

        if (options.PrefetchCount is < 1 or > 10_000)
        {
            errors.Add($"{S}:PrefetchCount must be between 1 and 10000 (got {options.PrefetchCount})");
        }

        if (options.ConcurrentMessageLimit < 1 || options.ConcurrentMessageLimit > options.PrefetchCount)
        {
            errors.Add($"{S}:ConcurrentMessageLimit must be between 1 and PrefetchCount ({options.PrefetchCount}) (got {options.ConcurrentMessageLimit})");
        }

        if (options.RetryLimit is < 0 or > 100)
        {
            errors.Add($"{S}:RetryLimit must be between 0 and 100 (got {options.RetryLimit})");
        }

        if (options.DeliveryLimit is < 1 or > 1000)
        {
            errors.Add($"{S}:DeliveryLimit must be between 1 and 1000 (got {options.DeliveryLimit})");
        }

        if (options.RetryMinInterval <= TimeSpan.Zero || options.RetryMaxInterval < options.RetryMinInterval)
        {
            errors.Add($"{S}:RetryMinInterval must be positive and at most RetryMaxInterval, e.g. 00:00:01 and 00:00:30");
        }

        if (options.StartTimeout <= TimeSpan.Zero)
        {
            errors.Add($"{S}:StartTimeout must be positive, e.g. 00:01:00");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    [GeneratedRegex(@"^[A-Za-z0-9._:\-]{1,200}$")]
    private static partial Regex QueueName();
}

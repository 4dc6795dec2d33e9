namespace Bridge.Worker;

/// <summary>An upstream stayed unavailable through the client's retries; the message is retried later, then dead-lettered.</summary>
internal sealed class UpstreamUnavailableException(string upstream, string message, Exception? inner = null) : Exception(message, inner)
{
    public string Upstream { get; } = upstream;
}

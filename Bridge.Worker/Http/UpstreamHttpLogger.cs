using Microsoft.Extensions.Http.Logging;

namespace Bridge.Worker.Http;

/// <summary>
/// Logs each attempt to an upstream (method, URL, status, time) and none of its headers. It replaces the HttpClient
/// factory's default loggers: their Trace lines redact header values only in the rendered message, while their
/// state still carries every request header, <c>Authorization</c> included, which Serilog writes out as properties.
/// </summary>
internal sealed class UpstreamHttpLogger(ILogger logger) : IHttpClientLogger
{
    public object? LogRequestStart(HttpRequestMessage request) => null;

    /// <summary>Three lines per event at Debug: the arguments are boxed only when Debug is on.</summary>
    public void LogRequestStop(object? context, HttpRequestMessage request, HttpResponseMessage response, TimeSpan elapsed)
    {
        if (logger.IsEnabled(LogLevel.Debug))
        {
            logger.LogDebug(
                "HTTP {HttpMethod} {Uri} answered {StatusCode} after {ElapsedMilliseconds:0} ms",
                request.Method, request.RequestUri, (int)response.StatusCode, elapsed.TotalMilliseconds);
        }
    }

    public void LogRequestFailed(
        object? context, HttpRequestMessage request, HttpResponseMessage? response, Exception exception, TimeSpan elapsed) =>
        logger.LogDebug(
            exception,
            "HTTP {HttpMethod} {Uri} failed after {ElapsedMilliseconds:0} ms",
            request.Method,
            request.RequestUri,
            elapsed.TotalMilliseconds);
}

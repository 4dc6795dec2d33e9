using Microsoft.Extensions.Logging;

namespace Bridge.Sandbox.Emulators;

/// <summary>How to start a <see cref="PrefectEmulator"/>.</summary>
public sealed record PrefectEmulatorOptions
{
    /// <summary>Loopback port to listen on; 0 picks a free one.</summary>
    public int Port { get; init; }

    /// <summary>When set, requests must carry <c>Authorization: Bearer &lt;ApiKey&gt;</c> (Prefect Cloud).</summary>
    public string? ApiKey { get; init; }

    /// <summary>When set (<c>user:pass</c>), requests must carry the matching Basic header (self-hosted auth string).</summary>
    public string? BasicAuth { get; init; }

    /// <summary>Answer 411 to a POST without Content-Length, as Prefect Cloud does (catches chunked bodies).</summary>
    public bool RequireContentLength { get; init; } = true;

    /// <summary>Clock for every timestamp the emulator writes.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Minimum level of the host's console log.</summary>
    public LogLevel MinimumLogLevel { get; init; } = LogLevel.Warning;

    internal void Validate()
    {
        if (BasicAuth is not null && !BasicAuth.Contains(':', StringComparison.Ordinal))
        {
            throw new ArgumentException(
                $"{nameof(PrefectEmulatorOptions)}.{nameof(BasicAuth)} must look like 'user:password'.", nameof(BasicAuth));
        }

        if (ApiKey is { Length: 0 })
        {
            throw new ArgumentException($"{nameof(PrefectEmulatorOptions)}.{nameof(ApiKey)} must be null or non-empty.", nameof(ApiKey));
        }

        ArgumentNullException.ThrowIfNull(TimeProvider);
    }
}

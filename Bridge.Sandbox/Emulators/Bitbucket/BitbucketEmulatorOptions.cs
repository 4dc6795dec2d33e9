using Microsoft.Extensions.Logging;

namespace Bridge.Sandbox.Emulators;

/// <summary>
/// How to start a <see cref="BitbucketEmulator"/>. With no credential configured every request is accepted; otherwise a
/// request must carry one of the configured ones.
/// </summary>
public sealed record BitbucketEmulatorOptions
{
    /// <summary>Loopback port to listen on; 0 picks a free one.</summary>
    public int Port { get; init; }

    /// <summary>Repository/workspace access token, expected as <c>Authorization: Bearer &lt;token&gt;</c>.</summary>
    public string? AccessToken { get; init; }

    /// <summary>User (e-mail) for API-token auth, expected with <see cref="ApiToken"/> as Basic.</summary>
    public string? Username { get; init; }

    /// <summary>API token (or app password) for Basic auth with <see cref="Username"/>.</summary>
    public string? ApiToken { get; init; }

    /// <summary>The pipelines <c>GET …/pipelines/{uuid}</c> serves; pass a shared one to serve the same pipelines from several emulators.</summary>
    public PipelineRegistry? Pipelines { get; init; }

    /// <summary>Clock for <c>created_on</c>/<c>updated_on</c>.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Minimum level of the host's console log.</summary>
    public LogLevel MinimumLogLevel { get; init; } = LogLevel.Warning;

    internal void Validate()
    {
        if ((Username is null) != (ApiToken is null))
        {
            throw new ArgumentException(
                $"{nameof(BitbucketEmulatorOptions)}: set both {nameof(Username)} and {nameof(ApiToken)} for Basic auth, or neither.");
        }

        if (AccessToken is { Length: 0 })
        {
            throw new ArgumentException($"{nameof(BitbucketEmulatorOptions)}.{nameof(AccessToken)} must be null or non-empty.");
        }

        ArgumentNullException.ThrowIfNull(TimeProvider);
    }
}

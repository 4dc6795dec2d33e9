namespace Bridge.Worker.Correlation;

/// <summary>Why a route of an admitted step started no run.</summary>
internal enum RefusalKind
{
    /// <summary>The cloud provider refused the step token's exchange for the route's credentials.</summary>
    CredentialsRefused,

    /// <summary>The step token expired while the event waited in the queue.</summary>
    ExpiredInQueue,
}

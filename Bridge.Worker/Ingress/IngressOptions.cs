namespace Bridge.Worker.Ingress;

/// <summary>
/// The front door for pipeline steps that cannot reach the broker: <c>POST /v1/events</c> and <c>GET /v1/events/{id}</c> on a
/// port of its own. The port speaks plain HTTP: terminate TLS in front of it.
/// </summary>
internal sealed class IngressOptions
{
    public const string Section = "Bridge:Ingress";

    /// <summary>Off by default: the worker then listens only where it did before (health, callbacks).</summary>
    public bool Enabled { get; set; }

    /// <summary>The port the ingress listens on, apart from the worker's other endpoints.</summary>
    public int Port { get; set; } = 8443;

    /// <summary>The address the ingress port binds (<c>0.0.0.0</c> for every interface, <c>127.0.0.1</c> for loopback only).</summary>
    public string BindAddress { get; set; } = "0.0.0.0";

    /// <summary>The largest request body accepted; larger ones get 413.</summary>
    public int MaxBodyBytes { get; set; } = 64 * 1024;

    /// <summary>Events one repository may submit per <see cref="RateLimitWindow"/>; more get 429.</summary>
    public int PermitsPerRepository { get; set; } = 30;

    public TimeSpan RateLimitWindow { get; set; } = TimeSpan.FromMinutes(1);
}

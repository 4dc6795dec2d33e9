namespace Bridge.Worker.Webhooks;

/// <summary>
/// Bitbucket webhooks (<c>POST /v1/webhooks/bitbucket</c> on the ingress port): the hooks Bridge trusts, each with the
/// secret set on it in Bitbucket, and the queue their deliveries wait in.
/// </summary>
internal sealed class WebhookOptions
{
    public const string Section = "Bridge:Webhooks";

    /// <summary>The hooks whose deliveries are accepted; none = webhooks are refused and no webhook queue is declared.</summary>
    public List<WebhookHookOptions> Hooks { get; set; } = [];

    /// <summary>The durable quorum queue verified deliveries wait in (its dead letters go to <c>&lt;queue&gt;_error</c>).</summary>
    public string Queue { get; set; } = "bridge-webhook-deliveries";

    /// <summary>The largest delivery accepted; larger ones get 413.</summary>
    public int MaxBodyBytes { get; set; } = 512 * 1024;

    public bool Enabled => Hooks.Count > 0;
}

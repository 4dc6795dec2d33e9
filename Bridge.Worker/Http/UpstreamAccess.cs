using System.Collections.Concurrent;
using System.Net;

namespace Bridge.Worker.Http;

/// <summary>
/// Whether each upstream accepted Bridge's credentials on its latest answer that says so: a 2xx accepts them, a 401 (and
/// for Prefect a 403, which means the key has no access to the workspace) refuses them. Bitbucket's 403 is left out: it
/// is about one repository, not about the credential. Fed by every HTTP attempt; read by the readiness check.
/// </summary>
internal sealed class UpstreamAccess(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Refusal?> latest = new(StringComparer.Ordinal);

    /// <summary>The upstreams whose latest answer refused Bridge's credentials.</summary>
    public IReadOnlyList<Refusal> Refusals => [.. latest.Values.OfType<Refusal>().OrderBy(r => r.Upstream, StringComparer.Ordinal)];

    public void Observe(UpstreamCredential upstream, HttpStatusCode status)
    {
        ArgumentNullException.ThrowIfNull(upstream);
        if ((int)status is >= 200 and < 300)
        {
            latest[upstream.Name] = null;
        }
        else if (status == HttpStatusCode.Unauthorized || (status == HttpStatusCode.Forbidden && upstream.ForbiddenRefuses))
        {
            latest[upstream.Name] = new Refusal(upstream.Name, (int)status, time.GetUtcNow(), upstream.Settings);
        }
    }

    /// <summary>An upstream's refusal of Bridge's credentials: when, with which status, and the settings that hold them.</summary>
    public sealed record Refusal(string Upstream, int Status, DateTimeOffset At, string Settings)
    {
        public override string ToString() => $"{Upstream} refused Bridge's credentials (HTTP {Status}) at {At:u}; check {Settings}";
    }
}

/// <summary>An upstream whose answers tell about Bridge's credentials, and the settings that hold them.</summary>
internal sealed record UpstreamCredential(string Name, string Settings, bool ForbiddenRefuses);

/// <summary>Reports each attempt's status to <see cref="UpstreamAccess"/>; changes nothing.</summary>
internal sealed class UpstreamAccessHandler(UpstreamAccess access, UpstreamCredential upstream) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        access.Observe(upstream, response.StatusCode);
        return response;
    }
}

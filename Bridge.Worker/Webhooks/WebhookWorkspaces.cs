using Bridge.Contracts;
using Bridge.Worker.Bitbucket;
using Bridge.Worker.Identity;
using Bridge.Worker.Triggers;
using Microsoft.Extensions.Options;

namespace Bridge.Worker.Webhooks;

/// <summary>
/// A webhook speaks for a repository of an allow-listed workspace only (<c>Bridge:Identity:Workspaces</c>, the same list
/// pipeline tokens are held to), and the workspace UUID it names, when it names one, must be the allow-listed one.
/// </summary>
internal sealed class WebhookWorkspaces(IOptions<IdentityOptions> identity)
{
    /// <summary>The payload with its workspace as allow-listed, or why it is not.</summary>
    public (WebhookPayload? Payload, Rejection? Refused) Check(WebhookPayload payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        var slug = payload.Workspace.Slug;
        var trusted = identity.Value.Workspaces.FirstOrDefault(w => string.Equals(w.Key, slug, StringComparison.OrdinalIgnoreCase)).Value;
        if (trusted is null)
        {
            return (null, Rejection.Of(RejectReasons.WorkspaceNotAllowed, $"workspace '{slug}' is not on the allow-list ({IdentityOptions.Section}:Workspaces)"));
        }

        var named = payload.Workspace.Uuid;
        if (trusted.Uuid is { } uuid && BitbucketUuid.IsBraced(named) && !BitbucketUuid.Same(named, uuid))
        {
            return (null, Rejection.Of(RejectReasons.WorkspaceMismatch, $"the webhook names workspace {named}, not {slug}'s {uuid}"));
        }

        return (payload with { Workspace = new WorkspaceInfo { Slug = slug, Uuid = trusted.Uuid ?? named } }, null);
    }
}

using Bridge.Contracts;
using Bridge.Worker.Identity;
using Microsoft.Extensions.Options;

namespace Bridge.Worker.Webhooks;

/// <summary>
/// A webhook speaks for a repository of an allow-listed workspace only (<c>Bridge:Identity:Workspaces</c>, the same list
/// pipeline tokens are held to), and the workspace UUID it names, when it names one, must be the allow-listed one.
/// </summary>
internal sealed class WebhookWorkspaces(IOptions<IdentityOptions> identity)
{
    /// <summary>The payload with its workspace as allow-listed; throws <see cref="EventRejectedException"/> otherwise.</summary>
    public WebhookPayload Check(WebhookPayload payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        var slug = payload.Workspace.Slug;
        var trusted = identity.Value.Workspaces.FirstOrDefault(w => string.Equals(w.Key, slug, StringComparison.OrdinalIgnoreCase)).Value
            ?? throw new EventRejectedException(
                RejectReasons.WorkspaceNotAllowed,
                $"Rejected ({RejectReasons.WorkspaceNotAllowed}): workspace '{slug}' is not on the allow-list ({IdentityOptions.Section}:Workspaces)");
        var named = payload.Workspace.Uuid;
        if (trusted.Uuid is { } uuid && named.StartsWith('{') && !string.Equals(named, uuid, StringComparison.OrdinalIgnoreCase))
        {
            throw new EventRejectedException(
                RejectReasons.WorkspaceMismatch,
                $"Rejected ({RejectReasons.WorkspaceMismatch}): the webhook names workspace {named}, not {slug}'s {uuid}");
        }

        return payload with { Workspace = new WorkspaceInfo { Slug = slug, Uuid = trusted.Uuid ?? named } };
    }
}

using Microsoft.Extensions.Options;

namespace Bridge.Worker.Identity;

/// <summary>Says once, at start, whose pipelines' tokens the worker trusts.</summary>
internal sealed class IdentityStartupLog(IOptions<IdentityOptions> options, ILogger<IdentityStartupLog> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var (slug, workspace) in options.Value.Workspaces)
        {
            logger.LogInformation(
                "Trusting Pipelines OIDC tokens of workspace {Workspace} {WorkspaceUuid}: issuer {Issuer}, audiences {Audiences}",
                slug, workspace.Uuid, workspace.IssuerFor(slug), string.Join(", ", workspace.AudiencesOrDefault()));
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

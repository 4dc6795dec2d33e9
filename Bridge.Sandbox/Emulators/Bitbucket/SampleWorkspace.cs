using Bridge.Contracts;

namespace Bridge.Sandbox.Emulators;

/// <summary>
/// The sample workspace <c>acme</c> of the sandbox and the tests, process-wide: its issuer (with the production issuer
/// URL, fetched through whichever emulator hosts it, as through a proxy) and its pipeline records are shared by every
/// emulator that hosts it, so an event issued before a stack starts verifies in that stack.
/// </summary>
public static class SampleWorkspace
{
    public const string Slug = "acme";
    public const string Uuid = "{922e118c-f34f-4226-a897-0e0afbec553d}";
    public const string Issuer = "https://api.bitbucket.org/2.0/workspaces/acme/pipelines-config/identity/oidc";

    public static OidcWorkspace Oidc { get; } = new(Slug, Uuid, Issuer);

    public static PipelineRegistry Pipelines { get; } = new();

    /// <summary>
    /// Plays Bitbucket Pipelines for the event: records its pipeline (repository, ref and commit) and gives it the
    /// step's signed token (with <c>branchName</c> on branch pipelines, the environment on deployment steps).
    /// </summary>
    public static PipelineEvent Issue(PipelineEvent message, string? deploymentEnvironmentUuid = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        Pipelines.Add(Pipeline(message));
        return message with { OidcToken = Oidc.Mint(Step(message) with { DeploymentEnvironmentUuid = deploymentEnvironmentUuid }) };
    }

    /// <summary>The token claims of the event's step, as Bitbucket would mint them.</summary>
    public static StepToken Step(PipelineEvent message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return new StepToken
        {
            RepositoryUuid = message.Repository.Uuid,
            PipelineUuid = message.PipelineUuid,
            StepUuid = message.StepUuid,
            BranchName = message.Ref.Type == RefType.Branch ? message.Ref.Name : null,
        };
    }

    /// <summary>The pipeline record of the event (the commit and ref it names).</summary>
    public static PipelineRecord Pipeline(PipelineEvent message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return new PipelineRecord
        {
            WorkspaceSlug = message.Workspace.Slug,
            WorkspaceUuid = message.Workspace.Uuid,
            RepositoryFullName = message.Repository.FullName,
            RepositoryUuid = message.Repository.Uuid,
            PipelineUuid = message.PipelineUuid,
            RefType = message.Ref.Type == RefType.Tag ? "tag" : "branch",
            RefName = message.Ref.Name,
            Commit = message.Commit,
            BuildNumber = message.BuildNumber,
        };
    }
}

namespace Bridge.Worker.Identity;

/// <summary>The machine-readable reasons an event is rejected for (the <c>Bridge-Reject-Reason</c> header, the metric tag).</summary>
internal static class RejectReasons
{
    public const string TokenMalformed = "token-malformed";
    public const string AlgNone = "alg-none";
    public const string AlgNotAllowed = "alg-not-allowed";
    public const string UnknownKid = "unknown-kid";
    public const string BadSignature = "bad-signature";
    public const string Expired = "expired";
    public const string ExpiredInQueue = "expired-in-queue";
    public const string NotYetValid = "not-yet-valid";
    public const string WrongIssuer = "wrong-issuer";
    public const string WrongAudience = "wrong-audience";
    public const string WorkspaceNotAllowed = "workspace-not-allowed";
    public const string WorkspaceMismatch = "workspace-mismatch";
    public const string RepositoryMismatch = "repository-mismatch";
    public const string PipelineMismatch = "pipeline-mismatch";
    public const string StepMismatch = "step-mismatch";
    public const string BranchMismatch = "branch-mismatch";
    public const string RepositoryNotAllowed = "repository-not-allowed";
    public const string RefNotAllowed = "ref-not-allowed";
    public const string EnvironmentNotAllowed = "environment-not-allowed";
    public const string PipelineNotFound = "pipeline-not-found";
    public const string CommitMismatch = "commit-mismatch";
    public const string RefMismatch = "ref-mismatch";
    public const string Replay = "replay";
}

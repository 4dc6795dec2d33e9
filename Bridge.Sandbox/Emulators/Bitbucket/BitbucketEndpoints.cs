namespace Bridge.Sandbox.Emulators;

/// <summary>The endpoint names of the Bitbucket emulator, for <c>FailNext</c> and <c>CallCount</c>.</summary>
public static class BitbucketEndpoints
{
    public const string PostBuildStatus = "post_build_status";
    public const string GetBuildStatus = "get_build_status";
    public const string ListStatuses = "list_statuses";
    public const string GetPipeline = "get_pipeline";
    public const string ListPipelines = "list_pipelines";
    public const string GetCommit = "get_commit";
    public const string OidcConfiguration = "oidc_configuration";
    public const string OidcKeys = "oidc_keys";

    internal static IReadOnlySet<string> All { get; } =
        new HashSet<string>(StringComparer.Ordinal) { PostBuildStatus, GetBuildStatus, ListStatuses, GetPipeline, ListPipelines, GetCommit, OidcConfiguration, OidcKeys };
}

namespace Bridge.Worker.Credentials;

/// <summary>
/// The names under which a flow run finds its credentials in <c>job_variables.env</c>. For Azure only the token and its
/// expiry: <c>AZURE_CLIENT_ID</c>/<c>AZURE_TENANT_ID</c> would steer DefaultAzureCredential's managed-identity lookup in the run.
/// </summary>
internal static class CredentialVariables
{
    public const string AwsAccessKeyId = "AWS_ACCESS_KEY_ID";
    public const string AwsSecretAccessKey = "AWS_SECRET_ACCESS_KEY";
    public const string AwsSessionToken = "AWS_SESSION_TOKEN";
    public const string AwsRegion = "AWS_REGION";
    public const string AwsDefaultRegion = "AWS_DEFAULT_REGION";
    public const string AwsExpiration = "AWS_CREDENTIAL_EXPIRATION";
    public const string AzureAccessToken = "AZURE_ACCESS_TOKEN";
    public const string AzureAccessTokenExpiresOn = "AZURE_ACCESS_TOKEN_EXPIRES_ON";
}

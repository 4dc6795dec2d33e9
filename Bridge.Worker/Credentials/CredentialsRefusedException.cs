namespace Bridge.Worker.Credentials;

/// <summary>
/// A cloud refused to exchange the step token (or Bridge refused to ask): no run starts, the commit gets FAILED with
/// <see cref="Exception.Message"/>, which names the cloud, the role or app, and the error code — never a token or key.
/// </summary>
internal sealed class CredentialsRefusedException(string message, string code)
    : PermanentFailureException("credentials-refused", message)
{
    public string Code { get; } = code;
}

namespace Bridge.Worker.Credentials;

/// <summary><c>Bridge:Credentials:Azure</c>: where Entra is and how Bridge talks to it.</summary>
internal sealed class AzureCredentialsOptions
{
    public string AuthorityHost { get; set; } = "https://login.microsoftonline.com/";

    /// <summary>
    /// A PEM file of certificates to trust (besides the system's) for the authority host's TLS, e.g. a private CA in front
    /// of Entra or a test server's generated certificate. Absent = the system trust store only.
    /// </summary>
    public string? TrustedCertificateFile { get; set; }

    /// <summary>Azure.Core's retries of 429/5xx per token request (0 = one call).</summary>
    public int MaxRetries { get; set; } = 2;

    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(800);
}

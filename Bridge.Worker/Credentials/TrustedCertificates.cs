using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Bridge.Worker.Credentials;

/// <summary>
/// The HTTP handler for Entra: the system trust store, plus the certificates of <c>Bridge:Credentials:Azure:TrustedCertificateFile</c>
/// as extra roots when one is set (a private CA, or a test server's generated certificate). Host names are always checked.
/// </summary>
internal static class TrustedCertificates
{
    public static HttpMessageHandler Handler(string? pemFile)
    {
        var handler = new SocketsHttpHandler();
        if (string.IsNullOrWhiteSpace(pemFile))
        {
            return handler;
        }

        var roots = new X509Certificate2Collection();
        roots.ImportFromPemFile(pemFile);
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
        {
            if (errors == SslPolicyErrors.None)
            {
                return true;
            }

            if (errors != SslPolicyErrors.RemoteCertificateChainErrors || certificate is null)
            {
                return false;
            }

            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.AddRange(roots);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            return chain.Build(new X509Certificate2(certificate));
        };
        return handler;
    }
}

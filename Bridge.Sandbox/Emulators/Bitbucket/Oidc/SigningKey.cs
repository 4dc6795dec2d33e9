using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace Bridge.Sandbox.Emulators;

/// <summary>One RSA signing key of a workspace issuer, with its <c>kid</c>.</summary>
public sealed class SigningKey : IDisposable
{
    private readonly RSA rsa = RSA.Create(2048);

    public SigningKey(string kid)
    {
        Kid = kid;
        SecurityKey = new RsaSecurityKey(rsa) { KeyId = kid };
    }

    public string Kid { get; }

    /// <summary>The private key, for minting (and for tests that forge tokens with it).</summary>
    public RsaSecurityKey SecurityKey { get; }

    /// <summary>The public part as published in <c>keys.json</c>.</summary>
    public RSAParameters PublicParameters => rsa.ExportParameters(includePrivateParameters: false);

    /// <summary>The public key as PEM (what an attacker downloads to try an HS256 key-confusion token).</summary>
    public string PublicKeyPem => rsa.ExportSubjectPublicKeyInfoPem();

    public void Dispose() => rsa.Dispose();
}

using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.Tokens;

namespace Bridge.Worker.Credentials;

/// <summary>Bridge's issuer keys, read from PEM files; the <c>kid</c> is the RFC 7638 thumbprint of the public key.</summary>
internal static class IssuerKeys
{
    public static (List<RsaSecurityKey> Keys, List<string> Errors) Load(IEnumerable<string> files)
    {
        var keys = new List<RsaSecurityKey>();
        var errors = new List<string>();
        var index = 0;
        foreach (var file in files)
        {
            var at = $"{CredentialsOptions.Section}:Issuer:SigningKeyFiles:{index++}";
            try
            {
                var rsa = RSA.Create();
                rsa.ImportFromPem(File.ReadAllText(file));
                if (rsa.KeySize < 2048)
                {
                    errors.Add($"{at}: the key in '{file}' has {rsa.KeySize} bits; use an RSA key of 2048 bits or more");
                    continue;
                }

                keys.Add(new RsaSecurityKey(rsa) { KeyId = Thumbprint(rsa.ExportParameters(false)) });
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or CryptographicException)
            {
                // The exception text never includes the key material.
                errors.Add($"{at}: cannot read an RSA private key (PEM) from '{file}': {ex.GetType().Name}");
            }
        }

        return (keys, errors);
    }

    /// <summary>A new 2048-bit key as PKCS#8 PEM (for <c>bridge issuer new-key</c> and tests).</summary>
    public static string NewPem()
    {
        using var rsa = RSA.Create(2048);
        return rsa.ExportPkcs8PrivateKeyPem();
    }

    private static string Thumbprint(RSAParameters key)
    {
        var json = $"{{\"e\":\"{Base64UrlEncoder.Encode(key.Exponent)}\",\"kty\":\"RSA\",\"n\":\"{Base64UrlEncoder.Encode(key.Modulus)}\"}}";
        return Base64UrlEncoder.Encode(SHA256.HashData(Encoding.UTF8.GetBytes(json)));
    }
}

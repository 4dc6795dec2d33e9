using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Bridge.Sandbox.Emulators;
using Microsoft.IdentityModel.Tokens;

namespace Bridge.Tests.Identity;

/// <summary>What an attacker can make of a genuine token or of the workspace's public key.</summary>
internal static class ForgedTokens
{
    /// <summary>The genuine claims, unsigned, with <c>alg: none</c>.</summary>
    public static string AlgNone(string genuine) =>
        $"{Encode(new JsonObject { ["alg"] = "none", ["typ"] = "JWT" })}.{genuine.Split('.')[1]}.";

    /// <summary>The genuine claims, signed HS256 with the workspace's public key (PEM) as the HMAC secret.</summary>
    public static string Hs256WithPublicKey(string genuine, SigningKey key)
    {
        var signingInput = $"{Encode(new JsonObject { ["alg"] = "HS256", ["typ"] = "JWT", ["kid"] = key.Kid })}.{genuine.Split('.')[1]}";
        var signature = HMACSHA256.HashData(Encoding.UTF8.GetBytes(key.PublicKeyPem), Encoding.ASCII.GetBytes(signingInput));
        return $"{signingInput}.{Base64UrlEncoder.Encode(signature)}";
    }

    /// <summary>The genuine header and signature over a payload changed by <paramref name="change"/>.</summary>
    public static string Tampered(string genuine, Action<JsonObject> change)
    {
        var parts = genuine.Split('.');
        var payload = JsonNode.Parse(Base64UrlEncoder.Decode(parts[1]))!.AsObject();
        change(payload);
        return $"{parts[0]}.{Encode(payload)}.{parts[2]}";
    }

    private static string Encode(JsonObject json) => Base64UrlEncoder.Encode(json.ToJsonString());
}

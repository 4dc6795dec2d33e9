using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bridge.Contracts;
using Bridge.Sandbox.Emulators;
using Microsoft.IdentityModel.Tokens;

namespace Bridge.Benchmarks.Faults;

/// <summary>
/// Malformed or mutated messages, drawn from a seeded <see cref="Random"/>, ten kinds in turn: truncated JSON, wrong
/// types, huge strings, invalid UTF-8, random tokens, tokens of an unknown key, <c>alg: none</c> tokens, tokens whose
/// payload was changed after signing, well-signed tokens on an event whose fields were changed, and bodies that are not
/// an event at all. Every forged or mutated event's pipeline is recorded, so that only the token checks stand between it
/// and a flow run.
/// </summary>
internal sealed class BadMessages(FaultWorkspace workspace, Action<PipelineRecord> recordPipeline, int seed)
{
    public const int Kinds = 10;

    static readonly string[] Names =
    [
        "truncated JSON", "wrong types", "huge strings", "invalid UTF-8", "random token", "token of an unknown key",
        "alg none token", "payload changed after signing", "fields changed under a valid token", "not an event",
    ];

    readonly Random random = new(seed);
    readonly OidcWorkspace impostor = new(FaultWorkspace.Slug, FaultWorkspace.Uuid, FaultWorkspace.Issuer);
    int n = 1_000_000;

    public static string KindName(int kind) => Names[kind];

    /// <summary>The <paramref name="i"/>-th message (kind <c>i % 10</c>), its content type and the commit it names.</summary>
    public BadMessage Next(int i)
    {
        var contentType = random.Next(10) switch
        {
            0 => null,
            1 => "text/plain",
            2 => "application/vnd.masstransit+json",
            _ => "application/json",
        };
        var message = workspace.NewEvent(Interlocked.Increment(ref n));
        return new BadMessage(Body(i % Kinds, message), contentType, i % Kinds, message.Commit);
    }

    byte[] Body(int kind, PipelineEvent message)
    {
        var valid = workspace.Oidc.Mint(FaultWorkspace.Step(message));
        var json = JsonSerializer.SerializeToNode(message with { OidcToken = valid }, FaultWorkspace.Json)!.AsObject();
        switch (kind)
        {
            case 0:
                var whole = Encoding.UTF8.GetBytes(json.ToJsonString());
                return whole[..random.Next(1, whole.Length - 1)];
            case 1:
                WrongType(json);
                return Encoding.UTF8.GetBytes(json.ToJsonString());
            case 2:
                recordPipeline(FaultWorkspace.Pipeline(message));
                var size = random.Next(50) == 0 ? 2 * 1024 * 1024 : 100 * 1024;
                var huge = new string((char)('a' + random.Next(26)), size);
                Set(json, random.Next(5) switch { 0 => "commit", 1 => "ref.name", 2 => "oidcToken", 3 => "repository.fullName", _ => "workspace.slug" }, huge);
                return Encoding.UTF8.GetBytes(json.ToJsonString());
            case 3:
                recordPipeline(FaultWorkspace.Pipeline(message));
                // Inside the tag's name ("v1.…"), a value the commit check compares.
                var text = Encoding.UTF8.GetBytes(json.ToJsonString());
                var at = Encoding.UTF8.GetBytes(json.ToJsonString()).AsSpan().IndexOf("\"v1."u8) + 2;
                byte[][] invalid = [[0xFF], [0xC3, 0x28], [0xED, 0xA0, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80], [0xC0, 0xAF]];
                return [.. text[..Math.Max(at, 1)], .. invalid[random.Next(invalid.Length)], .. text[Math.Max(at, 1)..]];
            case 4:
                recordPipeline(FaultWorkspace.Pipeline(message));
                json["oidcToken"] = random.Next(3) switch
                {
                    0 => $"{RandomSegment(40)}.{RandomSegment(200)}.{RandomSegment(342)}",
                    1 => RandomSegment(random.Next(1, 2000)),
                    _ => "",
                };
                return Encoding.UTF8.GetBytes(json.ToJsonString());
            case 5:
                recordPipeline(FaultWorkspace.Pipeline(message));
                json["oidcToken"] = impostor.Mint(FaultWorkspace.Step(message));
                return Encoding.UTF8.GetBytes(json.ToJsonString());
            case 6:
                recordPipeline(FaultWorkspace.Pipeline(message));
                var parts = valid.Split('.');
                var header = Base64UrlEncoder.Encode($$"""{"alg":"none","kid":"{{workspace.Oidc.CurrentKey.Kid}}","typ":"JWT"}""");
                json["oidcToken"] = $"{header}.{parts[1]}.";
                return Encoding.UTF8.GetBytes(json.ToJsonString());
            case 7:
                // The token says another pipeline (recorded, with the event's commit); its signature is the original one.
                var other = message with { PipelineUuid = $"{{{Guid.NewGuid()}}}" };
                recordPipeline(FaultWorkspace.Pipeline(other));
                var segments = valid.Split('.');
                var payload = JsonNode.Parse(Base64UrlEncoder.Decode(segments[1]))!.AsObject();
                payload["pipelineUuid"] = other.PipelineUuid;
                json["pipelineUuid"] = other.PipelineUuid;
                json["oidcToken"] = $"{segments[0]}.{Base64UrlEncoder.Encode(payload.ToJsonString())}.{segments[2]}";
                return Encoding.UTF8.GetBytes(json.ToJsonString());
            case 8:
                recordPipeline(FaultWorkspace.Pipeline(message));
                Set(json, random.Next(5) switch
                {
                    0 => "commit",
                    1 => "stepUuid",
                    2 => "repository.uuid",
                    3 => "workspace.uuid",
                    _ => "pipelineUuid",
                }, random.Next(2) == 0 ? $"{{{Guid.NewGuid()}}}" : Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()) + "00000000");
                return Encoding.UTF8.GetBytes(json.ToJsonString());
            default:
                return random.Next(6) switch
                {
                    0 => [],
                    1 => "null"u8.ToArray(),
                    2 => "[]"u8.ToArray(),
                    3 => Encoding.UTF8.GetBytes(new string('[', 5000) + new string(']', 5000)),
                    4 => Encoding.UTF8.GetBytes(new JsonObject { ["message"] = json, ["messageType"] = "urn:message:Nope" }.ToJsonString()),
                    _ => RandomBytes(random.Next(1, 4096)),
                };
        }
    }

    void WrongType(JsonObject json)
    {
        switch (random.Next(9))
        {
            case 0: json["commit"] = 12345; break;
            case 1: json["ref"] = "v1.0.0"; break;
            case 2: json["buildNumber"] = "forty-two"; break;
            case 3: json["kind"] = 7; break;
            case 4: json["workspace"] = new JsonArray(1, 2, 3); break;
            case 5: json["eventId"] = "not-a-guid"; break;
            case 6: json["occurredAt"] = true; break;
            case 7: json["version"] = 99; break;
            default: json["oidcToken"] = new JsonObject { ["alg"] = "none" }; break;
        }
    }

    static void Set(JsonObject json, string path, string value)
    {
        var dot = path.IndexOf('.', StringComparison.Ordinal);
        if (dot < 0)
        {
            json[path] = value;
        }
        else
        {
            json[path[..dot]]!.AsObject()[path[(dot + 1)..]] = value;
        }
    }

    string RandomSegment(int length)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        return string.Create(length, random, (span, r) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = alphabet[r.Next(alphabet.Length)];
            }
        });
    }

    byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }
}

/// <summary>One bad message: its body and content type, which kind of bad it is, and the commit of the event it was made from.</summary>
internal sealed record BadMessage(byte[] Body, string? ContentType, int Kind, string Commit);

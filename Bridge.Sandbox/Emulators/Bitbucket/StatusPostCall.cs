using System.Text.Json.Nodes;

namespace Bridge.Sandbox.Emulators;

/// <summary>
/// One <c>POST …/commit/{commit}/statuses/build</c>, whatever it was answered: status code, the path segments (decoded),
/// the body as sent and parsed (null when not a JSON object).
/// </summary>
public sealed record StatusPostCall(
    int StatusCode, string Workspace, string Repository, string Commit, string RawBody, JsonObject? Body, DateTimeOffset At);

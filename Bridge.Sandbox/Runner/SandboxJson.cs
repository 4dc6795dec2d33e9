using System.Text.Json;

namespace Bridge.Sandbox.Runner;

/// <summary>The plain JSON form of a PipelineEvent, as README.md documents it (camelCase).</summary>
internal static class SandboxJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);
}

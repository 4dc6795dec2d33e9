using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Bridge.Sandbox.Emulators;

/// <summary>Reads a request body and validates it against a definition of Prefect's OpenAPI document (422 otherwise).</summary>
internal static class PrefectRequestBody
{
    public static async Task<(JsonObject? Body, IResult? Error)> ReadAsync(HttpContext context, string definition, bool optional)
    {
        var text = EmulatorGate.Body(context);
        if (string.IsNullOrWhiteSpace(text))
        {
            return optional
                ? ([], null)
                : (null, PrefectResults.Invalid([PrefectResults.ErrorEntry("missing", ["body"], "Field required", null)], null));
        }

        JsonNode? node;
        try
        {
            node = JsonNode.Parse(text);
        }
        catch (JsonException e)
        {
            var entry = PrefectResults.ErrorEntry(
                "json_invalid",
                ["body", (int)(e.BytePositionInLine ?? 0)],
                "JSON decode error",
                new JsonObject(),
                new JsonObject { ["error"] = e.Message });
            return (null, PrefectResults.Invalid([entry], JsonValue.Create(text)));
        }

        var violations = await ContractSchemaCatalog.Prefect.ValidateAsync(definition, text);
        if (violations.Count > 0 || node is not JsonObject body)
        {
            var details = violations.Count > 0
                ? PydanticErrors.FromViolations(violations, node)
                : [PrefectResults.ErrorEntry("model_attributes_type", ["body"], "Input should be a valid dictionary or object to extract fields from", node)];
            return (null, PrefectResults.Invalid(details, node));
        }

        return (body, null);
    }
}

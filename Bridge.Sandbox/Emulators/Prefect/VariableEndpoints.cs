using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Bridge.Sandbox.Emulators;

/// <summary>
/// <c>GET /variables/name/{name}</c> (404 when absent), <c>POST /variables/</c> (201; 409 when the name is taken) and
/// <c>PATCH /variables/name/{name}</c> (204; 404 when absent). Names must match <c>[a-z0-9_-]</c>; values stay under
/// 5,000 characters.
/// </summary>
internal sealed class VariableEndpoints(VariableStore variables, TimeProvider time)
{
    public const int MaxValueLength = 5000;

    public void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/variables/name/{name}", (string name) => Read(name)).WithName(PrefectEndpoints.ReadVariableByName);
        api.MapPost("/variables/", (Func<HttpContext, Task<IResult>>)CreateAsync).WithName(PrefectEndpoints.CreateVariable);
        api.MapPatch("/variables/name/{name}", (HttpContext context, string name) => UpdateAsync(context, name))
            .WithName(PrefectEndpoints.UpdateVariableByName);
    }

    private IResult Read(string name) =>
        variables.Find(name) is { } variable
            ? PrefectResults.Json(Response(variable), StatusCodes.Status200OK)
            : PrefectResults.Detail(StatusCodes.Status404NotFound, "Variable not found.");

    private async Task<IResult> CreateAsync(HttpContext context)
    {
        var (request, invalid) = await PrefectRequestBody.ReadAsync(context, "VariableCreate", optional: false);
        if (invalid is not null)
        {
            return invalid;
        }

        var name = request!["name"]!.GetValue<string>();
        if (Refusal(name, request["value"], request) is { } refusal)
        {
            return refusal;
        }

        var tags = request["tags"] is JsonArray list ? list.Select(t => t!.GetValue<string>()).ToList() : [];
        var created = variables.Create(name, request["value"], tags, time.GetUtcNow());
        return created is null
            ? PrefectResults.Detail(StatusCodes.Status409Conflict, $"A variable with the name {name!} already exists.")
            : PrefectResults.Json(Response(created), StatusCodes.Status201Created);
    }

    private async Task<IResult> UpdateAsync(HttpContext context, string name)
    {
        var (request, invalid) = await PrefectRequestBody.ReadAsync(context, "VariableUpdate", optional: false);
        if (invalid is not null)
        {
            return invalid;
        }

        if (Refusal(name, request!["value"], request) is { } refusal)
        {
            return refusal;
        }

        return variables.Update(name, request["value"], time.GetUtcNow())
            ? Results.NoContent()
            : PrefectResults.Detail(StatusCodes.Status404NotFound, "Variable not found.");
    }

    private static IResult? Refusal(string name, JsonNode? value, JsonObject request)
    {
        if (name.Length == 0 || name.Any(c => c is not ((>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' or '-')))
        {
            return PrefectResults.Invalid(
                [PrefectResults.ErrorEntry("value_error", ["body", "name"], "Value error, Variable name must only contain lowercase letters, numbers, dashes and underscores", JsonValue.Create(name))],
                request);
        }

        return value is not null && value.ToJsonString().Length >= MaxValueLength
            ? PrefectResults.Invalid(
                [PrefectResults.ErrorEntry("value_error", ["body", "value"], $"Value error, Variable value must be less than {MaxValueLength} characters", value)],
                request)
            : null;
    }

    private static JsonObject Response(VariableRecord variable) => new()
    {
        ["id"] = variable.Id.ToString(),
        ["created"] = PrefectEvents.Timestamp(variable.Created),
        ["updated"] = PrefectEvents.Timestamp(variable.Updated),
        ["name"] = variable.Name,
        ["value"] = variable.Value?.DeepClone(),
        ["tags"] = new JsonArray([.. variable.Tags.Select(t => JsonValue.Create(t))]),
    };
}

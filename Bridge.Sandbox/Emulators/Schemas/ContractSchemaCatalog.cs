using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using NJsonSchema;

namespace Bridge.Sandbox.Emulators;

/// <summary>
/// The named schema definitions of one provider contract, compiled with NJsonSchema on first use and cached
/// (thread-safe; each definition is compiled once per process).
/// </summary>
public sealed class ContractSchemaCatalog
{
    private readonly Lazy<JsonObject> definitions;
    private readonly string refPrefix;
    private readonly Action<string, JsonObject>? adjust;
    private readonly ConcurrentDictionary<string, Lazy<Task<JsonSchema>>> compiled = new(StringComparer.Ordinal);

    private ContractSchemaCatalog(string resource, Func<JsonNode, JsonObject> selectDefinitions, string refPrefix, Action<string, JsonObject>? adjust)
    {
        definitions = new Lazy<JsonObject>(
            () => selectDefinitions(JsonNode.Parse(ContractResource.ReadText(resource))!),
            LazyThreadSafetyMode.ExecutionAndPublication);
        this.refPrefix = refPrefix;
        this.adjust = adjust;
    }

    /// <summary>Prefect's OpenAPI 3.1 document; definitions are <c>components.schemas</c>.</summary>
    public static ContractSchemaCatalog Prefect { get; } = new(
        ContractResource.Prefect,
        doc => doc["components"]!["schemas"]!.AsObject(),
        "#/components/schemas/",
        adjust: null);

    /// <summary>
    /// Bitbucket's Swagger 2.0 document; definitions are <c>definitions</c>. Request bodies are checked against
    /// the resource definitions, whose base <c>object</c> requires the read-only discriminator <c>type</c>: clients
    /// do not send it (the swagger's own examples omit it), so it is not required here.
    /// </summary>
    public static ContractSchemaCatalog Bitbucket { get; } = new(
        ContractResource.Bitbucket,
        doc => doc["definitions"]!.AsObject(),
        "#/definitions/",
        RelaxBitbucketBase);

    /// <summary>True when the contract defines <paramref name="name"/>.</summary>
    public bool Contains(string name) => definitions.Value.ContainsKey(name);

    /// <summary>The compiled schema whose root is the named definition.</summary>
    public Task<JsonSchema> GetAsync(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return compiled.GetOrAdd(
            name,
            n => new Lazy<Task<JsonSchema>>(() => CompileAsync(n), LazyThreadSafetyMode.ExecutionAndPublication)).Value;
    }

    /// <summary>Validates JSON text against the named definition; an empty list means the text is valid.</summary>
    public async Task<IReadOnlyList<SchemaViolation>> ValidateAsync(string name, string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var schema = await GetAsync(name);
        return ValidationErrorFlattener.Flatten(schema.Validate(json));
    }

    private Task<JsonSchema> CompileAsync(string name)
    {
        var text = SchemaDocumentBuilder.Build(definitions.Value, refPrefix, name, adjust);
        return JsonSchema.FromJsonAsync(text);
    }

    private static void RelaxBitbucketBase(string name, JsonObject definition)
    {
        if (name == "object")
        {
            definition.Remove("required");
            definition.Remove("discriminator");
        }
    }
}

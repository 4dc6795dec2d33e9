using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using NJsonSchema;
using NJsonSchema.Validation;

namespace Bridge.Sandbox.Emulators;

/// <summary>
/// Checks a flow run's parameters against its deployment's <c>parameter_openapi_schema</c> and words the first failure
/// the way Prefect does for its 409: <c>Validation failed for field 'x'. Failure reason: 1 is not of type 'string'</c>.
/// </summary>
internal sealed class ParameterSchemaValidator
{
    private readonly ConcurrentDictionary<Guid, Lazy<Task<JsonSchema>>> schemas = new();

    /// <summary>Null when the parameters are valid; otherwise Prefect's message (without the "Error creating flow run: " prefix).</summary>
    public async Task<string?> ValidateAsync(DeploymentRecord deployment, JsonObject parameterSchema, JsonObject parameters)
    {
        var schema = await schemas.GetOrAdd(
            deployment.Id,
            _ => new Lazy<Task<JsonSchema>>(() => JsonSchema.FromJsonAsync(parameterSchema.ToJsonString()))).Value;
        var error = FirstLeaf(schema.Validate(parameters.ToJsonString()));
        return error is null ? null : Describe(error, parameters);
    }

    private static ValidationError? FirstLeaf(IEnumerable<ValidationError> errors)
    {
        var first = errors.FirstOrDefault();
        return first is ChildSchemaValidationError child
            && first.Kind is ValidationErrorKind.ArrayItemNotValid or ValidationErrorKind.AdditionalPropertiesNotValid or ValidationErrorKind.NotAllOf
            && FirstLeaf(child.Errors.Values.SelectMany(e => e)) is { } inner
                ? inner
                : first;
    }

    private static string Describe(ValidationError error, JsonObject parameters)
    {
        var path = SchemaPath.Parse(error.Path);
        var fieldPath = error.Kind is ValidationErrorKind.PropertyRequired or ValidationErrorKind.NoAdditionalPropertiesAllowed
            ? path.Take(path.Count - 1).ToList()
            : path;
        var instance = JsonPath.Resolve(parameters, fieldPath);
        var field = string.Concat(fieldPath.Select((s, i) => s is int n ? $"[{n}]" : i == 0 ? s.ToString() : "." + s));
        var prefix = field.Length == 0 ? "Validation failed." : $"Validation failed for field {PythonRepr.Of(field)}.";
        return $"{prefix} Failure reason: {Reason(error, path, instance)}";
    }

    private static string Reason(ValidationError error, IReadOnlyList<object> path, JsonNode? instance)
    {
        var value = PythonRepr.Of(instance);
        var schema = error.Schema?.ActualSchema;
        return error.Kind switch
        {
            ValidationErrorKind.PropertyRequired => $"{PythonRepr.Of(path[^1].ToString()!)} is a required property",
            ValidationErrorKind.NoAdditionalPropertiesAllowed =>
                $"Additional properties are not allowed ({PythonRepr.Of(path[^1].ToString()!)} was unexpected)",
            ValidationErrorKind.StringExpected => $"{value} is not of type 'string'",
            ValidationErrorKind.IntegerExpected => $"{value} is not of type 'integer'",
            ValidationErrorKind.NumberExpected => $"{value} is not of type 'number'",
            ValidationErrorKind.BooleanExpected => $"{value} is not of type 'boolean'",
            ValidationErrorKind.ArrayExpected => $"{value} is not of type 'array'",
            ValidationErrorKind.ObjectExpected => $"{value} is not of type 'object'",
            ValidationErrorKind.NullExpected => $"{value} is not of type 'null'",
            ValidationErrorKind.NotInEnumeration => $"{value} is not one of {PythonRepr.Of(schema?.Enumeration ?? [])}",
            ValidationErrorKind.StringTooShort => $"{value} is too short",
            ValidationErrorKind.StringTooLong => $"{value} is too long",
            ValidationErrorKind.NumberTooSmall => $"{value} is less than the minimum of {schema?.Minimum}",
            ValidationErrorKind.NumberTooBig => $"{value} is greater than the maximum of {schema?.Maximum}",
            ValidationErrorKind.PatternMismatch => $"{value} does not match {PythonRepr.Of(schema?.Pattern ?? string.Empty)}",
            ValidationErrorKind.NotAnyOf or ValidationErrorKind.NotOneOf => $"{value} is not valid under any of the given schemas",
            _ => $"{value} is not valid ({error.Kind})",
        };
    }
}

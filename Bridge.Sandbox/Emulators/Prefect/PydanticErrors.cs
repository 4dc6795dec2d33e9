using System.Text.Json.Nodes;
using NJsonSchema.Validation;

namespace Bridge.Sandbox.Emulators;

/// <summary>Turns schema violations of a request body into pydantic v2 error entries (<c>loc</c> starts with <c>"body"</c>).</summary>
internal static class PydanticErrors
{
    public static JsonArray FromViolations(IEnumerable<SchemaViolation> violations, JsonNode? body)
    {
        var entries = new JsonArray();
        foreach (var violation in violations)
        {
            var (type, message, ctx) = Describe(violation);
            var input = violation.Kind == ValidationErrorKind.PropertyRequired
                ? JsonPath.Resolve(body, violation.Path.Take(violation.Path.Count - 1))
                : JsonPath.Resolve(body, violation.Path);
            entries.Add(PrefectResults.ErrorEntry(type, ["body", .. violation.Path], message, input, ctx));
        }

        return entries;
    }

    private static (string Type, string Message, JsonObject? Ctx) Describe(SchemaViolation violation) => violation.Kind switch
    {
        ValidationErrorKind.NoAdditionalPropertiesAllowed => ("extra_forbidden", "Extra inputs are not permitted", null),
        ValidationErrorKind.PropertyRequired => ("missing", "Field required", null),
        ValidationErrorKind.StringExpected => ("string_type", "Input should be a valid string", null),
        ValidationErrorKind.IntegerExpected => ("int_type", "Input should be a valid integer", null),
        ValidationErrorKind.NumberExpected => ("float_type", "Input should be a valid number", null),
        ValidationErrorKind.BooleanExpected => ("bool_type", "Input should be a valid boolean", null),
        ValidationErrorKind.ArrayExpected => ("list_type", "Input should be a valid list", null),
        ValidationErrorKind.ObjectExpected => ("dict_type", "Input should be a valid dictionary", null),
        ValidationErrorKind.NotInEnumeration => ("enum", $"Input should be {Alternatives(violation.AllowedValues)}",
            new JsonObject { ["expected"] = Alternatives(violation.AllowedValues) }),
        ValidationErrorKind.GuidExpected or ValidationErrorKind.UuidExpected =>
            ("uuid_parsing", "Input should be a valid UUID", null),
        ValidationErrorKind.DateTimeExpected => ("datetime_parsing", "Input should be a valid datetime", null),
        ValidationErrorKind.NumberTooSmall => ("greater_than_equal",
            $"Input should be greater than or equal to {violation.Schema?.Minimum}", null),
        ValidationErrorKind.NumberTooBig => ("less_than_equal",
            $"Input should be less than or equal to {violation.Schema?.Maximum}", null),
        ValidationErrorKind.StringTooShort => ("string_too_short", "String should have at least the minimum length", null),
        ValidationErrorKind.StringTooLong => ("string_too_long", "String should have at most the maximum length", null),
        _ => ("value_error", $"Value error, {violation.Kind}", null),
    };

    private static string Alternatives(IReadOnlyList<string> values) => values.Count switch
    {
        0 => "one of the allowed values",
        1 => $"'{values[0]}'",
        _ => string.Join(", ", values.Take(values.Count - 1).Select(v => $"'{v}'")) + $" or '{values[^1]}'",
    };
}

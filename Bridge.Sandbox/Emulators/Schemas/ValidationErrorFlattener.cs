using NJsonSchema;
using NJsonSchema.Validation;

namespace Bridge.Sandbox.Emulators;

/// <summary>
/// Flattens NJsonSchema's error tree into leaf violations the way pydantic reports them: for a failed
/// <c>anyOf</c>/<c>oneOf</c> the errors of the first branch that is not merely <c>{"type": "null"}</c> are kept
/// (so <c>"idempotency_key": 5</c> reads as "string expected", not "no branch matched"); <c>allOf</c>, array-item
/// and additional-property errors are unfolded.
/// </summary>
internal static class ValidationErrorFlattener
{
    public static IReadOnlyList<SchemaViolation> Flatten(IEnumerable<ValidationError> errors)
    {
        var output = new List<SchemaViolation>();
        foreach (var error in errors)
        {
            Add(error, output);
        }

        return output;
    }

    private static void Add(ValidationError error, List<SchemaViolation> output)
    {
        if (error is not ChildSchemaValidationError child || child.Errors.Count == 0)
        {
            output.Add(ToViolation(error));
            return;
        }

        if (error.Kind is ValidationErrorKind.NotAnyOf or ValidationErrorKind.NotOneOf)
        {
            var branch = child.Errors.Values.FirstOrDefault(IsInformative);
            if (branch is null)
            {
                output.Add(ToViolation(error));
                return;
            }

            foreach (var inner in branch)
            {
                Add(inner, output);
            }

            return;
        }

        foreach (var inner in child.Errors.Values.SelectMany(e => e))
        {
            Add(inner, output);
        }
    }

    private static bool IsInformative(ICollection<ValidationError> branch) =>
        branch.Count > 0 && !branch.All(e => e.Kind == ValidationErrorKind.NullExpected);

    private static SchemaViolation ToViolation(ValidationError error)
    {
        var allowed = error.Kind == ValidationErrorKind.NotInEnumeration
            ? EnumValues(error.Schema)
            : [];
        return new SchemaViolation(SchemaPath.Parse(error.Path), error.Kind, allowed, error.Schema?.ActualSchema);
    }

    private static IReadOnlyList<string> EnumValues(JsonSchema? schema) =>
        schema?.ActualSchema.Enumeration.Select(v => v?.ToString() ?? "null").ToList() ?? [];
}

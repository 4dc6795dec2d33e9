using NJsonSchema;
using NJsonSchema.Validation;

namespace Bridge.Sandbox.Emulators;

/// <summary>
/// One way a JSON document breaks a schema. <see cref="Path"/> holds property names (string) and array indexes
/// (int) from the document root; <see cref="AllowedValues"/> lists the enum members when <see cref="Kind"/> is
/// <see cref="ValidationErrorKind.NotInEnumeration"/>; <see cref="Schema"/> is the (resolved) schema that refused the value.
/// </summary>
public sealed record SchemaViolation(
    IReadOnlyList<object> Path, ValidationErrorKind Kind, IReadOnlyList<string> AllowedValues, JsonSchema? Schema)
{
    /// <summary>The path as dotted text, e.g. <c>state.type</c> or <c>tags[0]</c>; empty for the root.</summary>
    public string PathText => string.Concat(Path.Select((segment, i) => segment switch
    {
        int index => $"[{index}]",
        _ when i == 0 => segment.ToString(),
        _ => "." + segment,
    }));

    public override string ToString() => $"{(PathText.Length == 0 ? "<root>" : PathText)}: {Kind}";
}

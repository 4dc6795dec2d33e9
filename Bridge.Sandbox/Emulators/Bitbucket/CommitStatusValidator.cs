using System.Globalization;
using System.Text.Json.Nodes;
using NJsonSchema.Validation;

namespace Bridge.Sandbox.Emulators;

/// <summary>
/// Checks a commit-status body: first against the swagger's <c>commitstatus</c> (types, the <c>state</c> enum), then
/// the limits the server enforces but the swagger does not state (reference §3): <c>key</c> required and at most 40
/// characters; <c>url</c> required, a valid absolute URL (<see cref="DjangoUrlValidator"/>) under 450 characters;
/// <c>name</c> under 255 characters; <c>state</c> required.
/// </summary>
internal static class CommitStatusValidator
{
    public const int MaxKeyLength = 40;
    public const int MaxUrlLength = 449;
    public const int MaxNameLength = 254;

    public static async Task<FieldErrors> ValidateAsync(string text, JsonObject body)
    {
        var errors = new FieldErrors();
        foreach (var violation in await ContractSchemaCatalog.Bitbucket.ValidateAsync("commitstatus", text))
        {
            var field = violation.PathText.Length == 0 ? "non_field_errors" : violation.PathText;
            errors.Add(field, violation.Kind switch
            {
                ValidationErrorKind.StringExpected => "Not a valid string.",
                ValidationErrorKind.NotInEnumeration => $"\"{JsonPath.Resolve(body, violation.Path)?.ToString()}\" is not a valid choice.",
                ValidationErrorKind.ObjectExpected => "Invalid data. Expected a dictionary.",
                _ => "Invalid value.",
            });
        }

        Text(body, "key", errors, required: true, MaxKeyLength);
        Text(body, "state", errors, required: true, maxLength: null);
        if (Text(body, "url", errors, required: true, MaxUrlLength) is { } url && !errors.Has("url") && !DjangoUrlValidator.IsValid(url))
        {
            errors.Add("url", "Enter a valid URL.");
        }

        Text(body, "name", errors, required: false, MaxNameLength);
        return errors;
    }

    private static string? Text(JsonObject body, string field, FieldErrors errors, bool required, int? maxLength)
    {
        if (errors.Has(field))
        {
            return null;
        }

        var value = body[field] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
        if (value is null)
        {
            if (required)
            {
                errors.Add(field, body.ContainsKey(field) ? "This field may not be null." : "This field is required.");
            }

            return null;
        }

        if (required && value.Trim().Length == 0)
        {
            errors.Add(field, "This field may not be blank.");
            return null;
        }

        if (value.Length > maxLength)
        {
            errors.Add(field, string.Create(
                CultureInfo.InvariantCulture, $"Ensure this value has at most {maxLength} characters (it has {value.Length})."));
            return null;
        }

        return value;
    }
}

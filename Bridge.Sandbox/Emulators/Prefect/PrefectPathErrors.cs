using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Bridge.Sandbox.Emulators;

/// <summary>422 for a path parameter that is not a UUID, as FastAPI reports it.</summary>
internal static class PrefectPathErrors
{
    public static IResult InvalidUuid(string name, string value) =>
        PrefectResults.Invalid(
            [
                PrefectResults.ErrorEntry(
                    "uuid_parsing",
                    ["path", name],
                    "Input should be a valid UUID, invalid character: expected an optional prefix of `urn:uuid:` followed by [0-9a-fA-F-]",
                    JsonValue.Create(value)),
            ],
            null);
}

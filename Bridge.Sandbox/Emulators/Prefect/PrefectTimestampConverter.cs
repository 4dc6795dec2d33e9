using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Bridge.Sandbox.Emulators;

/// <summary>Writes timestamps the way Prefect's server does: UTC, microseconds, <c>Z</c> (<c>2026-08-21T10:00:00.123456Z</c>).</summary>
internal sealed class PrefectTimestampConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        DateTimeOffset.Parse(reader.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture));
}

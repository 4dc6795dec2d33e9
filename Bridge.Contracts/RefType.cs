using System.Text.Json.Serialization;

namespace Bridge.Contracts;

/// <summary>The kind of Git ref an event names.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RefType>))]
public enum RefType
{
    [JsonStringEnumMemberName("branch")]
    Branch = 1,

    [JsonStringEnumMemberName("tag")]
    Tag = 2,
}

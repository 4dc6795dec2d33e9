using System.Text.Json.Serialization;

namespace Bridge.Contracts;

/// <summary>What happened in Bitbucket: a merge into a branch, or a pushed tag.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<EventKind>))]
public enum EventKind
{
    [JsonStringEnumMemberName("merge")]
    Merge = 1,

    [JsonStringEnumMemberName("tag")]
    Tag = 2,
}

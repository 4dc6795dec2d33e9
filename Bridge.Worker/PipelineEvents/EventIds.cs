using System.Security.Cryptography;
using System.Text;
using Bridge.Contracts;

namespace Bridge.Worker.PipelineEvents;

/// <summary>The event's id: the publisher's, or one derived from what identifies the event, so redeliveries share it.</summary>
internal static class EventIds
{
    public static Guid Of(PipelineEvent message)
    {
        if (message.EventId is { } id && id != Guid.Empty)
        {
            return id;
        }

        var identity = $"{message.Repository.Uuid}|{message.PipelineUuid}|{message.StepUuid}|{message.Kind}|{message.Commit}|{message.Ref.Name}";
        return new Guid(SHA256.HashData(Encoding.UTF8.GetBytes(identity)).AsSpan(0, 16));
    }
}

using Bridge.Worker.Queue;

namespace Bridge.Worker.Redrive;

/// <summary>One redrive: from <c>{Queue}_error</c> back to <see cref="Queue"/>, what matches <see cref="Filter"/>, at most <see cref="Limit"/>.</summary>
internal sealed record RedriveRequest(string Queue, RedriveFilter Filter, int? Limit, bool DryRun)
{
    public string ErrorQueue => RabbitMqTopology.ErrorQueue(Queue);
}

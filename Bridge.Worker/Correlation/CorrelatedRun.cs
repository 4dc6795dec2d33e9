using Bridge.Worker.Bitbucket;

namespace Bridge.Worker.Correlation;

/// <summary>What is needed to report on one of Bridge's flow runs (<see cref="RunLabels.Read"/> reads it back from the run).</summary>
internal sealed record CorrelatedRun(Guid Id, string? Name, StatusTarget Target, string StatusKey, string StatusName, string? Ref)
{
    /// <summary>The <c>traceparent</c> of the event that started the run (its <c>bridge-trace:</c> tag): its later statuses join that trace.</summary>
    public string? TraceParent { get; init; }
}

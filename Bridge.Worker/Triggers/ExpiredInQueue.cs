using Bridge.Worker.Routing;

namespace Bridge.Worker.Triggers;

/// <summary>
/// A genuine step token that expired while its message waited <see cref="Waited"/> in the queue. <see cref="Routes"/>
/// are the routes it would have started whose commit still verifies: each is told on the commit to re-run the step.
/// </summary>
internal sealed record ExpiredInQueue(Trigger Trigger, IReadOnlyList<RouteDefinition> Routes, TimeSpan Waited) : AdmissionVerdict
{
    public Rejection Rejection => new(
        Identity.RejectReasons.ExpiredInQueue,
        $"Rejected ({Identity.RejectReasons.ExpiredInQueue}): the token expired while the message waited {Waited.TotalSeconds:0} s in the queue; re-run the step");
}

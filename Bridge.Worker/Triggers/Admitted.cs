using Bridge.Worker.Routing;

namespace Bridge.Worker.Triggers;

/// <summary>
/// The trigger may start its <see cref="Routes"/> (none when it matched no route): its sender, the routes' allow rules
/// and its commit are verified, and <see cref="Trigger"/> carries the full commit and, for a step, the verified identity.
/// </summary>
internal sealed record Admitted(Trigger Trigger, IReadOnlyList<RouteDefinition> Routes) : AdmissionVerdict
{
    /// <summary>When the trigger's message was published (the ingress: when it was received), for publish → INPROGRESS.</summary>
    public DateTimeOffset? SentAt { get; init; }
}

using Bridge.Worker.Routing;
using Bridge.Worker.Triggers;

namespace Bridge.Worker.Correlation;

/// <summary>
/// FAILED on the commit for a route that started no run, with <see cref="Text"/> saying why. An
/// <see cref="RefusalKind.ExpiredInQueue"/> refusal never overwrites a status already on the commit: an old token
/// replayed with a made-up <c>occurredAt</c> must not mark a good run FAILED.
/// </summary>
internal sealed record StatusRefusal(Trigger Trigger, PipelineStepOrigin Step, RouteDefinition Route, RefusalKind Kind, string Text);

namespace Bridge.Worker.PipelineEvents;

internal static class PipelineEventsExtensions
{
    /// <summary>Step events: the queue's handler, and the ingress's <c>POST /v1/events</c> and <c>GET /v1/events/{id}</c>.</summary>
    public static IHostApplicationBuilder AddPipelineEvents(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddScoped<PipelineEventHandler>();
        builder.Services.AddScoped<EventIngress>();
        builder.Services.AddSingleton<EventFollower>();
        return builder;
    }
}

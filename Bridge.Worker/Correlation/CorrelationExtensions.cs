using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Bridge.Worker.Correlation;

internal static class CorrelationExtensions
{
    /// <summary>
    /// Registers what reports runs back on their commits: the status reporter (scoped, like the typed HTTP clients it
    /// uses; the background services make a scope per turn) and its ledger, the event-stream listener (push), the
    /// finished-run poller (safety net), the repair sweep, and cancellation of superseded runs. The stream, the poll, the
    /// repair sweep and the callback run only on the replica holding the <see cref="CorrelatorLease"/>.
    /// </summary>
    public static IHostApplicationBuilder AddCorrelation(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<CorrelationOptions>().BindConfiguration(CorrelationOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<CorrelationOptions>, CorrelationOptionsValidator>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddKeyedSingleton(CorrelationOptions.ScheduleClock, (sp, _) => sp.GetRequiredService<TimeProvider>());
        builder.Services.AddSingleton<InFlightRuns>();
        builder.Services.AddSingleton<StatusLedger>();
        builder.Services.AddSingleton(sp => new ReportedRuns(sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddSingleton<PendingStatuses>();
        builder.Services.AddScoped<StatusReporter>();
        builder.Services.AddSingleton<Watermark>();
        builder.Services.AddScoped<SupersededRuns>();
        builder.Services.AddSingleton<CorrelatorLease>();
        builder.Services.AddSingleton<FlowRunEventStream>();
        builder.Services.AddSingleton<FinishedRunPoller>();
        builder.Services.AddSingleton<RunRepair>();
        builder.Services.AddSingleton<StatusHandover>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<CorrelatorLease>());
        builder.Services.AddHostedService(sp => sp.GetRequiredService<FlowRunEventStream>());
        builder.Services.AddHostedService(sp => sp.GetRequiredService<FinishedRunPoller>());
        builder.Services.AddHostedService(sp => sp.GetRequiredService<RunRepair>());
        builder.Services.AddHostedService<HandedOverStatuses>();
        return builder;
    }

    /// <summary>The optional call-webhook callback (only when <c>Bridge:Correlation:CallbackSecret</c> is set).</summary>
    public static WebApplication MapCorrelationEndpoints(this WebApplication app) => app.MapFlowRunCallback();
}

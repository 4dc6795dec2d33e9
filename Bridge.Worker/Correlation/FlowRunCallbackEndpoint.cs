using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Bridge.Worker.Prefect;
using Microsoft.Extensions.Options;

namespace Bridge.Worker.Correlation;

/// <summary>
/// The optional second push path: a Prefect automation's <c>call-webhook</c> action posts
/// <c>{"flow_run_id": "…"}</c> with the shared secret in <c>X-Bridge-Secret</c>. The body is only a hint: Bridge
/// reads the run from Prefect and reports what Prefect says. Only the replica holding the <see cref="CorrelatorLease"/>
/// reports; another answers 202 and leaves the run to it (its stream and poll see the same change).
/// </summary>
internal static class FlowRunCallbackEndpoint
{
    public const string SecretHeader = "X-Bridge-Secret";

    public static WebApplication MapFlowRunCallback(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var options = app.Services.GetRequiredService<IOptions<CorrelationOptions>>().Value;
        if (string.IsNullOrEmpty(options.CallbackSecret))
        {
            return app;
        }

        var secret = Encoding.UTF8.GetBytes(options.CallbackSecret);
        app.MapPost(options.CallbackPath, (HttpContext context, CorrelatorLease lease, IPrefectClient prefect, StatusReporter reporter, ILoggerFactory logs) =>
            HandleAsync(context, secret, lease, prefect, reporter, logs.CreateLogger(typeof(FlowRunCallbackEndpoint).FullName!)));
        return app;
    }

    private static async Task<IResult> HandleAsync(
        HttpContext context, byte[] secret, CorrelatorLease lease, IPrefectClient prefect, StatusReporter reporter, ILogger logger)
    {
        var presented = Encoding.UTF8.GetBytes(context.Request.Headers[SecretHeader].ToString());
        if (!CryptographicOperations.FixedTimeEquals(presented, secret))
        {
            logger.LogWarning("Refused a flow-run callback without the right {Header}", SecretHeader);
            return Results.Unauthorized();
        }

        Guid flowRunId;
        try
        {
            using var body = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            if (body.RootElement.ValueKind != JsonValueKind.Object
                || !body.RootElement.TryGetProperty("flow_run_id", out var id)
                || !Guid.TryParse(id.GetString(), out flowRunId))
            {
                return Results.BadRequest(new { error = "expected a JSON object with flow_run_id" });
            }
        }
        catch (JsonException)
        {
            return Results.BadRequest(new { error = "expected a JSON object with flow_run_id" });
        }

        if (!lease.IsHeld)
        {
            logger.LogDebug("Flow-run callback for {FlowRunId}: another replica correlates; left to it", flowRunId);
            return Results.Accepted();
        }

        var run = await prefect.ReadFlowRunAsync(flowRunId, context.RequestAborted);
        if (run is not null)
        {
            await reporter.ReportAsync(run, ReportPath.Callback, context.RequestAborted);
        }

        return Results.Accepted();
    }
}

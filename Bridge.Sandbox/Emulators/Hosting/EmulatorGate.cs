using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;

namespace Bridge.Sandbox.Emulators;

/// <summary>
/// Middleware in front of every named emulator endpoint: counts the call, buffers the body, serves injected
/// faults, applies the emulator's checks, and lets the emulator record the call before the client sees the answer.
/// </summary>
internal sealed class EmulatorGate(IEmulatorRules rules, CallCounter counter, FaultInjector faults)
{
    private const string BodyKey = "Bridge.Sandbox.Emulators.Body";

    /// <summary>The request body read by the gate (empty when there was none).</summary>
    public static string Body(HttpContext context) =>
        context.Items.TryGetValue(BodyKey, out var body) && body is string text ? text : string.Empty;

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var name = context.GetEndpoint()?.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName;
        if (name is null)
        {
            await next(context);
            return;
        }

        counter.Increment(name);
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        context.Items[BodyKey] = body;
        context.Response.OnStarting(() =>
        {
            rules.OnResponseStarting(context, name, body);
            return Task.CompletedTask;
        });

        if (faults.TryTake(name, out var fault) && fault.DropResponse)
        {
            await ServeThenDropAsync(context, next);
            return;
        }

        if (fault is not null)
        {
            if (fault.RetryAfter is { } delay)
            {
                context.Response.Headers.RetryAfter = FaultInjector.FormatRetryAfter(delay);
            }

            await rules.FaultResult(fault).ExecuteAsync(context);
            return;
        }

        if (rules.Check(context, name) is { } refusal)
        {
            await refusal.ExecuteAsync(context);
            return;
        }

        await next(context);
    }

    /// <summary>Serves the request into a buffer the client never sees, then cuts the connection (a response lost on the way).</summary>
    private static async Task ServeThenDropAsync(HttpContext context, RequestDelegate next)
    {
        var original = context.Features.Get<IHttpResponseBodyFeature>();
        await using var buffer = new MemoryStream();
        context.Features.Set<IHttpResponseBodyFeature>(new StreamResponseBodyFeature(buffer));
        try
        {
            await next(context);
        }
        finally
        {
            context.Features.Set(original);
            context.Abort();
        }
    }
}

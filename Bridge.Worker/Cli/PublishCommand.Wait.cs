using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Bridge.Worker.Ingress;
using Bridge.Worker.PipelineEvents;

namespace Bridge.Worker.Cli;

internal static partial class PublishCommand
{
    /// <summary>Asks <c>GET /v1/events/{id}</c> until every run is final or the timeout passes.</summary>
    private static async Task<int> WaitAsync(
        PublishSettings settings, Guid eventId, string token, TextWriter output, TextWriter error, TimeProvider time, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        using var deadline = new CancellationTokenSource(settings.Timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        var url = Endpoint(settings.Ingress!, $"v1/events/{eventId}");
        await output.WriteLineAsync($"Waiting up to {settings.Timeout} for event {eventId}…");
        FollowedEvent? last = null;
        try
        {
            while (true)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, url);
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                using var response = await http.SendAsync(request, linked.Token);
                var text = await response.Content.ReadAsStringAsync(linked.Token);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    last = JsonSerializer.Deserialize(text, IngressJsonContext.Default.FollowedEvent)!;
                    if (last.Finished)
                    {
                        return await FinishedAsync(last, output, error);
                    }
                }
                else if (response.StatusCode is not (HttpStatusCode.NotFound or HttpStatusCode.TooManyRequests) && (int)response.StatusCode < 500)
                {
                    await error.WriteLineAsync($"bridge publish: cannot follow event {eventId}: {Problem(response.StatusCode, text)}");
                    return Refused;
                }

                await Task.Delay(settings.PollInterval, time, linked.Token);
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            await error.WriteLineAsync($"bridge publish: event {eventId} did not finish within {settings.Timeout}.");
            foreach (var route in last?.Routes ?? [])
            {
                await error.WriteLineAsync($"  route {route.Route}: {route.StateName ?? route.State} {route.Url}");
            }

            return TimedOut;
        }
        catch (HttpRequestException ex)
        {
            await error.WriteLineAsync($"bridge publish: cannot reach the ingress to follow event {eventId}: {ex.HttpRequestError}");
            return RunCommand.BrokerUnreachable;
        }
    }

    private static async Task<int> FinishedAsync(FollowedEvent followed, TextWriter output, TextWriter error)
    {
        var writer = followed.Succeeded ? output : error;
        await writer.WriteLineAsync(followed.Succeeded ? $"Event {followed.EventId}: every flow run completed." : $"bridge publish: event {followed.EventId} did not succeed:");
        foreach (var route in followed.Routes)
        {
            await writer.WriteLineAsync($"  route {route.Route}: {route.StateName ?? route.State} ({route.CommitStatus}) {route.Url}");
        }

        return followed.Succeeded ? 0 : RunFailed;
    }
}

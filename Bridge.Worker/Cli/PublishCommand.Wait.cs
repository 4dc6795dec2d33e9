using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Bridge.Worker.Ingress;
using Bridge.Worker.PipelineEvents;

namespace Bridge.Worker.Cli;

internal static partial class PublishCommand
{
    /// <summary>
    /// Asks <c>GET /v1/events/{id}</c> until every run is final or the timeout passes, printing each run's state
    /// change (with the time since the wait began and the run's link) as soon as an answer shows it.
    /// </summary>
    private static async Task<int> WaitAsync(
        PublishSettings settings, Guid eventId, string token, TextWriter output, TextWriter error, TimeProvider time, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        using var deadline = new CancellationTokenSource(settings.Timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        var url = Endpoint(settings.Ingress!, $"v1/events/{eventId}");
        await output.WriteLineAsync($"Waiting up to {Durations.Format(settings.Timeout)} for event {eventId}…");
        var started = time.GetTimestamp();
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
                    var now = JsonSerializer.Deserialize(text, IngressJsonContext.Default.FollowedEvent)!;
                    foreach (var change in StateChanges(last, now))
                    {
                        await output.WriteLineAsync($"  +{Durations.Format(Whole(time.GetElapsedTime(started)))} {change}");
                    }

                    last = now;
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
            await error.WriteLineAsync($"bridge publish: event {eventId} did not finish within {Durations.Format(settings.Timeout)}.");
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

    /// <summary>One line per run that is new in <paramref name="now"/> or whose state or commit status changed since <paramref name="before"/>.</summary>
    internal static IEnumerable<string> StateChanges(FollowedEvent? before, FollowedEvent now)
    {
        ArgumentNullException.ThrowIfNull(now);
        foreach (var route in now.Routes)
        {
            var previous = before?.Routes.FirstOrDefault(r => r.FlowRunId == route.FlowRunId);
            if (previous is null || previous.State != route.State || previous.StateName != route.StateName || previous.CommitStatus != route.CommitStatus)
            {
                yield return $"route {route.Route}: {route.StateName ?? route.State ?? "no state yet"} ({route.CommitStatus}) {route.Url}";
            }
        }
    }

    private static TimeSpan Whole(TimeSpan elapsed) => TimeSpan.FromSeconds(Math.Floor(elapsed.TotalSeconds));

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

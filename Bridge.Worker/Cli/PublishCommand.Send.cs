using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bridge.Contracts;
using Bridge.Worker.Ingress;
using RabbitMQ.Client;

namespace Bridge.Worker.Cli;

internal static partial class PublishCommand
{
    private static async Task<int> SendToIngressAsync(Uri ingress, PipelineEvent message, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        using var request = new HttpRequestMessage(HttpMethod.Post, Endpoint(ingress, "v1/events"))
        {
            Content = new StringContent(WithoutToken(message).ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", message.OidcToken);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            await error.WriteLineAsync($"bridge publish: cannot reach the ingress at {ingress.GetLeftPart(UriPartial.Authority)}: {ex.HttpRequestError}");
            return RunCommand.BrokerUnreachable;
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (response.StatusCode != HttpStatusCode.Accepted)
            {
                await error.WriteLineAsync($"bridge publish: the ingress refused the event: {Problem(response.StatusCode, text)}");
                return (int)response.StatusCode >= 500 ? RunCommand.BrokerUnreachable : Refused;
            }

            var accepted = JsonSerializer.Deserialize(text, IngressJsonContext.Default.AcceptedEvent)!;
            await output.WriteLineAsync($"Event {accepted.EventId} queued ({message.Kind.ToString().ToLowerInvariant()} {message.Ref.Name} at {message.Commit}).");
            if (accepted.Routes.Count == 0)
            {
                await output.WriteLineAsync("  It matched no route: no flow run will start.");
            }

            foreach (var route in accepted.Routes)
            {
                await output.WriteLineAsync($"  route {route.Route} → {route.Deployment}: build status '{route.StatusName}' (key {route.StatusKey}) {route.StatusUrl}");
            }

            await output.WriteLineAsync($"  follow: {Endpoint(ingress, $"v1/events/{accepted.EventId}")}");
            return 0;
        }
    }

    private static async Task<int> SendToBrokerAsync(PublishSettings settings, PipelineEvent message, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var amqp = settings.Amqp!;
        var body = JsonSerializer.SerializeToUtf8Bytes(message, IngressJsonContext.Default.PipelineEvent);
        try
        {
            var factory = new ConnectionFactory { Uri = amqp, ClientProvidedName = "bridge-publish" };
            await using var connection = await factory.CreateConnectionAsync(cancellationToken);
            await using var channel = await connection.CreateChannelAsync(
                new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), cancellationToken);
            var properties = new BasicProperties
            {
                Persistent = true,
                ContentType = "application/json",
                MessageId = message.EventId.ToString(),
            };

            // The worker binds an exchange named after its queue to the queue; mandatory: refused when nothing is bound.
            await channel.BasicPublishAsync(settings.Queue, string.Empty, mandatory: true, properties, body, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await error.WriteLineAsync(
                $"bridge publish: RabbitMQ at {amqp.Host} did not take the event for queue {settings.Queue} ({ex.GetType().Name}); "
                + "check --amqp and --queue (the worker must have started once, to declare its queue).");
            return RunCommand.BrokerUnreachable;
        }

        await output.WriteLineAsync($"Event {message.EventId} queued on {settings.Queue} ({message.Kind.ToString().ToLowerInvariant()} {message.Ref.Name} at {message.Commit}).");
        if (settings.Ingress is { } ingress)
        {
            await output.WriteLineAsync($"  follow: {Endpoint(ingress, $"v1/events/{message.EventId}")}");
        }

        return 0;
    }

    /// <summary>A refusal in one line: the status and the problem's title, detail and reason (never the token: the ingress never echoes it).</summary>
    private static string Problem(HttpStatusCode status, string text)
    {
        try
        {
            if (JsonNode.Parse(text) is JsonObject problem)
            {
                return $"{(int)status} {problem["title"]}: {problem["detail"]} ({problem["reason"]})";
            }
        }
        catch (JsonException)
        {
            // Not problem details (a proxy's page): the status says enough.
        }

        return $"{(int)status} {status}";
    }
}

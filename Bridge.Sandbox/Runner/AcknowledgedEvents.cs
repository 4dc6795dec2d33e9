using System.Collections.Concurrent;
using Bridge.Contracts;
using Bridge.Worker.PipelineEvents;
using MassTransit;

namespace Bridge.Sandbox.Runner;

/// <summary>
/// Watches the worker's consumer for pipeline events it acknowledged (consumed without a fault), so the sandbox can
/// tell when an event that matched no route — the one outcome that leaves no trace in Prefect or Bitbucket — is done.
/// </summary>
internal sealed class AcknowledgedEvents : IConsumeObserver
{
    private readonly ConcurrentDictionary<Guid, bool> _seen = new();

    public event Action<Guid>? Acknowledged;

    public bool Contains(Guid eventId) => _seen.ContainsKey(eventId);

    public Task PreConsume<T>(ConsumeContext<T> context)
        where T : class => Task.CompletedTask;

    public Task PostConsume<T>(ConsumeContext<T> context)
        where T : class
    {
        if (context.Message is PipelineEvent message && EventIds.Of(message) is var eventId && _seen.TryAdd(eventId, true))
        {
            Acknowledged?.Invoke(eventId);
        }

        return Task.CompletedTask;
    }

    public Task ConsumeFault<T>(ConsumeContext<T> context, Exception exception)
        where T : class => Task.CompletedTask;
}

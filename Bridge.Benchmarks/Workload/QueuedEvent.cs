namespace Bridge.Benchmarks.Workload;

/// <summary>An event's commit (its key in the fake upstream's records) and its message body as queued.</summary>
internal sealed record QueuedEvent(string Commit, byte[] Body);

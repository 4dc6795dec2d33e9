namespace Bridge.Worker.Bitbucket;

/// <summary>A build status as the commit shows it: its state, and the link it points to (for Bridge, the flow run's page).</summary>
internal sealed record PostedStatus(string State, string? Url);

namespace Bridge.Sandbox.Emulators;

/// <summary>A failure an emulator answers with instead of serving a request.</summary>
internal sealed record InjectedFault(int StatusCode, TimeSpan? RetryAfter);

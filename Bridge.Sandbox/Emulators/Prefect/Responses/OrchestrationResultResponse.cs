namespace Bridge.Sandbox.Emulators;

/// <summary>Prefect's <c>OrchestrationResult</c>; the emulator always accepts.</summary>
internal sealed record OrchestrationResultResponse(StateResponse State, string Status, AcceptDetailsResponse Details);

namespace Bridge.Sandbox.Emulators;

/// <summary>Prefect's <c>StateAcceptDetails</c>.</summary>
internal sealed record AcceptDetailsResponse(string Type = "accept_details");

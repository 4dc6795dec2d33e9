namespace Bridge.Sandbox.Emulators;

/// <summary>Bitbucket's <c>link</c>.</summary>
internal sealed record LinkResponse(string Href);

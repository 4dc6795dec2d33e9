namespace Bridge.Sandbox.Emulators;

/// <summary>The <c>links</c> of a commit status.</summary>
internal sealed record CommitStatusLinks(LinkResponse Self, LinkResponse Commit);

namespace Bridge.Worker.Bitbucket;

/// <summary>The body of <c>POST …/commit/{commit}/statuses/build</c> (Bitbucket's <c>commitstatus</c>).</summary>
internal sealed record BitbucketBuildStatus
{
    /// <summary>At most 40 characters; posting the same key again overwrites the status.</summary>
    public required string Key { get; init; }

    public required string State { get; init; }

    public required string Name { get; init; }

    public required string Description { get; init; }

    /// <summary>Absolute, under 450 characters.</summary>
    public required string Url { get; init; }

    public string? Refname { get; init; }
}

namespace Bridge.Worker.Cli;

/// <summary>What <c>bridge routes explain</c> is asked about: a pipeline event file, or a webhook body and its headers.</summary>
internal abstract record ExplainInput
{
    public static ExplainInput Event(string path) => new EventFile(path);

    public static ExplainInput Webhook(string bodyPath, string headersPath) => new WebhookFiles(bodyPath, headersPath);

    /// <summary>A <c>PipelineEvent</c> as JSON.</summary>
    internal sealed record EventFile(string Path) : ExplainInput;

    /// <summary>A webhook delivery: the body as Bitbucket sent it, and a file of <c>Name: value</c> header lines.</summary>
    internal sealed record WebhookFiles(string BodyPath, string HeadersPath) : ExplainInput;
}

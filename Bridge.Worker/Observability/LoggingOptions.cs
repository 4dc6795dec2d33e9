namespace Bridge.Worker.Observability;

/// <summary>How the worker writes its logs to the console.</summary>
internal sealed class LoggingOptions
{
    public const string Section = "Bridge:Logging";

    /// <summary><c>json</c> (one JSON object per line, for log collectors) or <c>text</c> (for people).</summary>
    public string Format { get; set; } = "json";
}

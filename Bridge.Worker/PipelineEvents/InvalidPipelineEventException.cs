namespace Bridge.Worker.PipelineEvents;

/// <summary>The message is not a valid <c>PipelineEvent</c> v1; <see cref="Exception.Message"/> names every field at fault.</summary>
internal sealed class InvalidPipelineEventException(IReadOnlyList<string> errors)
    : PermanentFailureException("invalid-event", "Invalid PipelineEvent: " + string.Join("; ", errors))
{
    public IReadOnlyList<string> Errors { get; } = errors;
}

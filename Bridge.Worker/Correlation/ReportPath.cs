namespace Bridge.Worker.Correlation;

/// <summary>Which path asked for a status post; a label on the status metrics and in the log.</summary>
internal enum ReportPath
{
    Dispatch,
    Stream,
    Callback,
    Poll,
    Repair,
    Superseded,
    Refusal,

    /// <summary>A dispatch INPROGRESS Bitbucket did not take at once, posted by the correlating replica (<see cref="StatusHandover"/>).</summary>
    Handover,
}

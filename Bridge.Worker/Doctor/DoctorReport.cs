using Bridge.Worker.Cli;

namespace Bridge.Worker.Doctor;

/// <summary>
/// The checks' lines, <c>ok</c> or <c>FAILED</c> each, and their count. A check that throws, or has not finished within the
/// timeout, is one FAILED line naming the setting at fault.
/// </summary>
internal sealed class DoctorReport(TextWriter output, TimeSpan timeout)
{
    public int Checks { get; private set; }

    public int Failures { get; private set; }

    public void Ok(string check, string detail) => Write("ok    ", check, detail);

    public void Failed(string check, string why)
    {
        Failures++;
        Write("FAILED", check, why);
    }

    /// <summary>Runs <paramref name="check"/>, which writes its own lines, within the timeout.</summary>
    /// <param name="setting">The setting to look at when it fails, e.g. <c>Bridge:Broker:Url</c>.</param>
    public async Task RunAsync(string check, string setting, Func<CancellationToken, Task> run, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await run(deadline.Token);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            Failed(check, $"no answer within {Durations.Format(timeout)} (--timeout); check {setting}");
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // The clients' messages name what was refused and never carry a credential.
            var why = Describe(ex);
            Failed(check, why.Contains(setting, StringComparison.Ordinal) ? why : $"{why}; check {setting}");
        }
    }

    private void Write(string verdict, string check, string detail)
    {
        Checks++;
        output.WriteLine($"{verdict} {check}: {detail}");
    }

    /// <summary>The exception's message, and its innermost cause's when that says more ("Connection refused").</summary>
    public static string Describe(Exception ex)
    {
        var inner = ex;
        while (inner.InnerException is not null)
        {
            inner = inner.InnerException;
        }

        return ReferenceEquals(inner, ex) || ex.Message.Contains(inner.Message, StringComparison.Ordinal) ? ex.Message : $"{ex.Message}: {inner.Message}";
    }
}

using System.Globalization;
using Bridge.Sandbox.Emulators;
using Bridge.Sandbox.Emulators.Aws;

namespace Bridge.Benchmarks.Faults.Scenarios;

/// <summary>
/// Three replicas under upstream storms for the whole scenario: every Prefect endpoint answers 20% 503 and 10% 429 with
/// Retry-After 1 s, every Bitbucket endpoint 20% 429 without Retry-After, STS 30% IDPCommunicationError (seeded draws
/// in the emulators).
/// </summary>
internal sealed class StormScenario(FaultContext context)
{
    /// <summary>Bridge's STS attempts per exchange (<c>Bridge:Credentials:Aws:MaxAttempts</c>, its default).</summary>
    const int StsAttempts = 4;

    const string IdpCommunicationError = "IDPCommunicationError";

    public async Task<ScenarioResult> RunAsync()
    {
        var options = context.Options;
        var result = new ScenarioResult(string.Create(CultureInfo.InvariantCulture,
            $"upstream storms during {options.StormEvents:N0} events: Prefect 20% 503 + 10% 429 (Retry-After 1 s), Bitbucket 20% 429 (no Retry-After), STS 30% IDPCommunicationError"));
        await using var stack = await FaultStack.StartAsync(context, "storm");
        try
        {
            await stack.StartReplicasAsync(3);
            stack.Prefect.FailAtRandom(options.Seed, new RandomFault(0.2, 503), new RandomFault(0.1, 429, TimeSpan.FromSeconds(1)));
            stack.Bitbucket.FailAtRandom(options.Seed + 1, new RandomFault(0.2, 429));
            stack.Sts.FailAtRandom(options.Seed + 2, IdpCommunicationError, 0.3);
            var events = stack.Issue(options.StormEvents);
            await context.Progress.WriteLineAsync($"storm: publishing {events.Count} events at {options.Rate / 2:0}/s");
            await EventPublisher.PublishPacedAsync(stack.Broker, stack.Queue, events, options.Rate / 2);
            var outcome = await stack.SettleAsync(events);
            result.AddOutcome(outcome);
            var creates = stack.Prefect.CreateFlowRunCalls;
            result.Add("create_flow_run calls answered 503 / 429", string.Create(CultureInfo.InvariantCulture,
                $"{creates.Count(c => c.StatusCode == 503):N0} / {creates.Count(c => c.StatusCode == 429):N0} of {creates.Count:N0}"));
            result.Add("status posts answered 429", string.Create(CultureInfo.InvariantCulture,
                $"{outcome.StatusPosts429:N0} of {stack.Bitbucket.PostCalls.Count:N0}"));
            var sts = stack.Sts.Calls;
            result.Add("STS calls answered IDPCommunicationError", string.Create(CultureInfo.InvariantCulture,
                $"{sts.Count(c => c.ErrorCode == IdpCommunicationError):N0} of {sts.Count:N0}"));
            result.Add($"events whose {StsAttempts} STS attempts all failed at least once (retried by the broker)", UsedUpStsAttempts(sts));
            result.Add("replicas that exited", stack.Replicas.Count(r => r.HasExited));
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException)
        {
            result.Fail(e);
        }

        return result;
    }

    /// <summary>
    /// Events (by session name, <c>{slug}.{build number}</c>, one per event) with <see cref="StsAttempts"/>
    /// IDPCommunicationErrors in a row: an exchange ends at its first success, so such a run holds one exchange whose
    /// every attempt failed.
    /// </summary>
    static int UsedUpStsAttempts(IReadOnlyList<StsCall> calls) => calls
        .GroupBy(c => c.RoleSessionName, StringComparer.Ordinal)
        .Count(session =>
        {
            var (run, longest) = (0, 0);
            foreach (var call in session)
            {
                run = call.ErrorCode == IdpCommunicationError ? run + 1 : 0;
                longest = Math.Max(longest, run);
            }

            return longest >= StsAttempts;
        });
}

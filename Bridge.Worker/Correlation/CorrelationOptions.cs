namespace Bridge.Worker.Correlation;

/// <summary>How Bridge follows its flow runs to their end and reports them on the commit.</summary>
internal sealed class CorrelationOptions
{
    public const string Section = "Bridge:Correlation";

    /// <summary>
    /// The service key of the clock that schedules the poll and the repair sweep (by default the worker's own). Kept apart
    /// so a test can move these schedules on a fake clock while HTTP timeouts and retries keep real time.
    /// </summary>
    public const string ScheduleClock = "bridge-correlation-schedule";

    /// <summary>Listen to Prefect's event stream (<c>/events/out</c>) for state changes: the push path.</summary>
    public bool EventStream { get; set; } = true;

    /// <summary>First wait before reconnecting to the event stream; doubles up to <see cref="ReconnectMaxDelay"/>.</summary>
    public TimeSpan ReconnectMinDelay { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan ReconnectMaxDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>On (re)connecting, replay events from this long before the last one seen (de-duplicated by id).</summary>
    public TimeSpan BackfillMargin { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The safety-net poll: one <c>flow_runs/filter</c> (paged by 200) per interval for runs that ended.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Each poll looks this far behind the previous one, for runs whose end was recorded late.</summary>
    public TimeSpan PollOverlap { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>With no watermark yet (first start), how far back the first poll looks.</summary>
    public TimeSpan InitialLookback { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The Prefect Variable that keeps the poll's watermark (letters a–z, digits, '_' and '-').</summary>
    public string WatermarkVariable { get; set; } = "bridge-watermark";

    /// <summary>How often the runs still in flight are checked for deletion and for waiting on a worker.</summary>
    public TimeSpan RepairInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>A run still scheduled this long after its expected start, on a NOT_READY deployment, is "waiting for a worker".</summary>
    public TimeSpan WorkerWaitThreshold { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How often each replica ticks the correlator lease queue (<c>{Queue}_correlator</c>).</summary>
    public TimeSpan LeaseRenewInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>A replica that received no tick for this long stops correlating (another one's consumer is active).</summary>
    public TimeSpan LeaseTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Shared secret of the optional call-webhook callback (header <c>X-Bridge-Secret</c>); no callback endpoint when empty.</summary>
    public string? CallbackSecret { get; set; }

    /// <summary>Path of the callback endpoint on the worker's HTTP port.</summary>
    public string CallbackPath { get; set; } = "/v1/prefect/flow-run-events";
}

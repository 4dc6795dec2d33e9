namespace Bridge.Worker.Http;

/// <summary>Retry and timeout settings shared by every upstream (Prefect, Bitbucket).</summary>
internal abstract class UpstreamOptions
{
    /// <summary>Retries after the first attempt, for network errors, timeouts, 408, 429 and 5xx.</summary>
    public int MaxRetries { get; set; } = 4;

    /// <summary>Base of the exponential, jittered back-off between retries.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest wait between two attempts, including one asked for by <c>Retry-After</c>.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Time limit of one attempt.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Requests allowed in any rolling <see cref="BudgetWindow"/>; 0 for no budget.</summary>
    public int RequestBudget { get; set; }

    public TimeSpan BudgetWindow { get; set; } = TimeSpan.FromMinutes(1);

    public IEnumerable<string> ValidateUpstream(string section)
    {
        if (RequestBudget < 0)
        {
            yield return $"{section}:RequestBudget must be 0 (no budget) or a number of requests per BudgetWindow (got {RequestBudget})";
        }

        if (BudgetWindow <= TimeSpan.Zero)
        {
            yield return $"{section}:BudgetWindow must be positive, e.g. 01:00:00";
        }

        if (MaxRetries is < 0 or > 20)
        {
            yield return $"{section}:MaxRetries must be between 0 and 20 (got {MaxRetries})";
        }

        if (RetryBaseDelay <= TimeSpan.Zero || RetryBaseDelay > MaxRetryDelay)
        {
            yield return $"{section}:RetryBaseDelay must be positive and at most MaxRetryDelay, e.g. 00:00:01";
        }

        if (AttemptTimeout <= TimeSpan.Zero)
        {
            yield return $"{section}:AttemptTimeout must be positive, e.g. 00:00:30";
        }
    }
}

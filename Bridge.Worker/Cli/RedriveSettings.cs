using Bridge.Worker.Redrive;

namespace Bridge.Worker.Cli;

/// <summary>What <c>bridge redrive</c> was asked: the <c>--Key=value</c> settings (with <c>--queue</c> as one), the filter, the limit.</summary>
internal sealed record RedriveSettings(string[] Settings, RedriveFilter Filter, int? Limit, bool DryRun);

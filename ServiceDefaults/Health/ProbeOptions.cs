namespace OrleansSlm.ServiceDefaults.Health;

/// <summary>The <c>Probes</c> configuration section.</summary>
public sealed class ProbeOptions
{
    public const string SectionName = "Probes";

    /// <summary>
    /// Seconds between background runs of the readiness checks while they pass; a failing report is rechecked every
    /// second, so recovery shows at once. <c>/readyz</c> answers from the latest report and never runs a check itself.
    /// </summary>
    public int ReadyRefreshSeconds { get; set; } = 5;
}

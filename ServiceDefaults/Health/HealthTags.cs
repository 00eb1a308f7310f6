namespace OrleansSlm.ServiceDefaults.Health;

public static class HealthTags
{
    /// <summary>Checks that say whether the process itself is alive; never a dependency.</summary>
    public const string Live = "live";

    /// <summary>Checks of every dependency the process needs to serve requests.</summary>
    public const string Ready = "ready";
}

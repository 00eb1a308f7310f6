namespace OrleansSlm.ServiceDefaults.Configuration;

public enum OrleansMode
{
    /// <summary>The frontend co-hosts a silo with localhost clustering and in-memory storage.</summary>
    Embedded,

    /// <summary>The frontend joins a cluster of silos on PostgreSQL as an Orleans client.</summary>
    Client,
}

namespace OrleansSlm.ServiceDefaults.Configuration;

/// <summary>The <c>Orleans</c> configuration section shared by silos and frontends.</summary>
public sealed class OrleansOptions
{
    public const string SectionName = "Orleans";

    public OrleansMode Mode { get; set; } = OrleansMode.Embedded;

    public string ClusterId { get; set; } = "orleans-slm";

    public string ServiceId { get; set; } = "orleans-slm";

    public int SiloPort { get; set; } = 11111;

    public int GatewayPort { get; set; } = 30000;

    /// <summary>The address other silos and clients reach this silo on; the first non-loopback address when empty.</summary>
    public string? AdvertisedIPAddress { get; set; }

    /// <summary>How long a frontend in client mode keeps trying to reach a gateway at start-up.</summary>
    public int ClientConnectTimeoutSeconds { get; set; } = 60;

    /// <summary>Free-form silo metadata such as <c>role</c>; other silos see it through the membership table.</summary>
    public Dictionary<string, string> Metadata { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}

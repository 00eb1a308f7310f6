namespace OrleansSlm.Frontend.Security;

/// <summary>
/// The <c>Http:ForwardedHeaders</c> section: the proxies whose <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> are
/// believed, on top of loopback, which ASP.NET Core trusts by default. From anyone else the headers are ignored.
/// </summary>
public sealed class ForwardedHeadersSettings
{
    public const string SectionName = "Http:ForwardedHeaders";

    /// <summary>Proxy addresses (<c>10.0.3.7</c>, <c>fd00::7</c>).</summary>
    public List<string> KnownProxies { get; set; } = [];

    /// <summary>Proxy networks in CIDR form (<c>10.0.0.0/16</c>): a load balancer whose nodes change address.</summary>
    public List<string> KnownNetworks { get; set; } = [];
}

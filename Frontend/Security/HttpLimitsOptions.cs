namespace OrleansSlm.Frontend.Security;

/// <summary>The <c>Http</c> configuration section.</summary>
public sealed class HttpLimitsOptions
{
    public const string SectionName = "Http";

    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;
}

namespace OrleansSlm.ServiceDefaults.Configuration;

/// <summary>
/// A silo's role, published as <c>Orleans:Metadata:role</c>: <c>gpu</c> and <c>cpu</c> silos load the model and host
/// inference grains (GPU first); any other role (for example <c>frontend</c>) serves none. No role means <c>cpu</c>.
/// </summary>
public static class SiloRoles
{
    public const string MetadataKey = "role";

    public const string Gpu = "gpu";

    public const string Cpu = "cpu";

    public static string Of(IReadOnlyDictionary<string, string> metadata) =>
        metadata.TryGetValue(MetadataKey, out var role) && !string.IsNullOrWhiteSpace(role) ? role.Trim().ToLowerInvariant() : Cpu;

    public static bool ServesInference(string role) => role is Gpu or Cpu;
}

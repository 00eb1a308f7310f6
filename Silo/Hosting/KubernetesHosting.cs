namespace OrleansSlm.Silo.Hosting;

/// <summary>Orleans' Kubernetes hosting, opt-in through <c>Orleans:Kubernetes</c> for silos that run in a pod.</summary>
internal static class KubernetesHosting
{
    public const string ConfigurationKey = "Orleans:Kubernetes";

    private static readonly string[] PodVariables = ["POD_NAME", "POD_NAMESPACE", "POD_IP"];

    public static bool IsEnabled(IConfiguration configuration) => configuration.GetValue<bool>(ConfigurationKey);

    /// <summary>The downward-API variables that Kubernetes hosting needs and the environment lacks.</summary>
    public static IReadOnlyList<string> MissingPodVariables(IConfiguration configuration) =>
        [.. PodVariables.Where(name => string.IsNullOrWhiteSpace(configuration[name]))];
}

namespace OrleansSlm.Tests.Support;

/// <summary>One sample line of the Prometheus text format: <c>name{label="value",…} 1.5</c>.</summary>
public sealed record PrometheusSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

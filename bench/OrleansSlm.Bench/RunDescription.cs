using System.Text.Json.Serialization;

namespace OrleansSlm.Bench;

/// <summary>
/// What was measured and where: the path (<c>http</c> or <c>engine</c>), the model, the load, and the state of the
/// machine at the start. The one-minute load average is kept because a busy machine makes every number here low.
/// </summary>
internal sealed record RunDescription(
    string Mode,
    string Model,
    string? Precision,
    string Endpoint,
    int? Threads,
    int? MaxBatch,
    string Prompt,
    LoadProfile Load,
    int Processors,
    double? LoadAverage,
    DateTimeOffset StartedAt)
{
    public static RunDescription Create(string mode, string model, string? precision, string endpoint, int? threads, int? maxBatch, string prompt, LoadProfile load) =>
        new(mode, model, precision, endpoint, threads, maxBatch, prompt, load, Environment.ProcessorCount, ReadLoadAverage(), DateTimeOffset.UtcNow);

    /// <summary>How the run is named in tables: <c>HTTP</c> or <c>engine</c>.</summary>
    [JsonIgnore]
    public string PathLabel => Mode == HttpTarget.Mode ? "HTTP" : Mode;

    private static double? ReadLoadAverage()
    {
        const string path = "/proc/loadavg";
        if (!File.Exists(path))
        {
            return null;
        }

        var first = File.ReadAllText(path).Split(' ', 2)[0];
        return double.TryParse(first, System.Globalization.CultureInfo.InvariantCulture, out var value) ? value : null;
    }
}

using System.Globalization;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;

namespace OrleansSlm.Tests.Support;

/// <summary>A scrape of <c>/metrics</c>, parsed into its samples.</summary>
public sealed partial class PrometheusScrape
{
    private PrometheusScrape(string mediaType, IReadOnlyList<PrometheusSample> samples)
    {
        MediaType = mediaType;
        Samples = samples;
    }

    public string MediaType { get; }

    public IReadOnlyList<PrometheusSample> Samples { get; }

    public static async Task<PrometheusScrape> GetAsync(HttpClient client, string? apiKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        if (apiKey is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }

        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"/metrics answered {(int)response.StatusCode}: {body}");
        return new PrometheusScrape(response.Content.Headers.ContentType?.MediaType ?? "", Parse(body));
    }

    /// <summary>
    /// Scrapes until <paramref name="ready"/> holds (or 10 s pass), returning the last scrape: a request's own
    /// measurements are recorded just after its response is sent, so a scrape right after it can come first.
    /// </summary>
    public static async Task<PrometheusScrape> WaitForAsync(HttpClient client, Func<PrometheusScrape, bool> ready)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var scrape = await GetAsync(client);
            if (ready(scrape) || DateTime.UtcNow > deadline)
            {
                return scrape;
            }

            await Task.Delay(100);
        }
    }

    /// <summary>The samples of one metric whose labels include every given label.</summary>
    public IReadOnlyList<PrometheusSample> Find(string name, params (string Label, string Value)[] labels) =>
        Samples.Where(sample => sample.Name == name && labels.All(label => sample.Labels.TryGetValue(label.Label, out var value) && value == label.Value)).ToList();

    private static List<PrometheusSample> Parse(string body)
    {
        var samples = new List<PrometheusSample>();
        foreach (var line in body.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (line.StartsWith('#'))
            {
                continue;
            }

            var match = SampleLine().Match(line);
            Assert.True(match.Success, $"not a Prometheus sample line: {line}");
            var labels = LabelPair().Matches(match.Groups["labels"].Value)
                .ToDictionary(pair => pair.Groups["name"].Value, pair => Regex.Unescape(pair.Groups["value"].Value));
            samples.Add(new PrometheusSample(match.Groups["name"].Value, labels, ParseValue(match.Groups["value"].Value)));
        }

        return samples;
    }

    private static double ParseValue(string value) => value switch
    {
        "+Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        "NaN" => double.NaN,
        _ => double.Parse(value, CultureInfo.InvariantCulture),
    };

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})?\s+(?<value>\S+)(\s+\d+)?$")]
    private static partial Regex SampleLine();

    [GeneratedRegex(@"(?<name>[a-zA-Z_][a-zA-Z0-9_]*)=""(?<value>(?:[^""\\]|\\.)*)""")]
    private static partial Regex LabelPair();
}

using System.Net;
using System.Text.Json;

namespace OrleansSlm.Tests.Support;

/// <summary>
/// The status code and JSON body of a <c>/healthz</c>, <c>/readyz</c> or <c>/readyz/details</c> answer; only the
/// details name every check.
/// </summary>
public sealed record ProbeResponse(HttpStatusCode StatusCode, string Status, IReadOnlyList<string> Failed, IReadOnlyList<string> Checks)
{
    public static async Task<ProbeResponse> GetAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = body.RootElement;
        return new ProbeResponse(
            response.StatusCode,
            root.GetProperty("status").GetString()!,
            root.GetProperty("failed").EnumerateArray().Select(item => item.GetString()!).ToList(),
            root.TryGetProperty("checks", out var checks) ? checks.EnumerateObject().Select(check => check.Name).ToList() : []);
    }

    /// <summary>Polls until the probe answers <paramref name="expected"/>, returning the last answer either way.</summary>
    public static Task<ProbeResponse> WaitForAsync(HttpClient client, string path, HttpStatusCode expected, TimeSpan patience) =>
        PollAsync(client, path, probe => probe.StatusCode == expected, patience);

    /// <summary>
    /// Polls until exactly the <paramref name="failed"/> checks fail, returning the last answer either way: a check
    /// that is still warming up (the model loading, a first cluster call on a busy machine) is not what is tested.
    /// </summary>
    public static Task<ProbeResponse> WaitForFailedAsync(HttpClient client, string path, string[] failed, TimeSpan patience) =>
        PollAsync(client, path, probe => probe.Failed.SequenceEqual(failed), patience);

    private static async Task<ProbeResponse> PollAsync(HttpClient client, string path, Func<ProbeResponse, bool> done, TimeSpan patience)
    {
        var deadline = DateTime.UtcNow + patience;
        while (true)
        {
            var probe = await GetAsync(client, path);
            if (done(probe) || DateTime.UtcNow > deadline)
            {
                return probe;
            }

            await Task.Delay(200);
        }
    }

    /// <summary>Polls a process that may not listen yet until <c>/readyz</c> answers 200; null if it never does.</summary>
    public static async Task<ProbeResponse?> WaitForProcessReadyAsync(HttpClient client, TimeSpan patience)
    {
        var deadline = DateTime.UtcNow + patience;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                var probe = await GetAsync(client, "/readyz");
                if (probe.StatusCode == HttpStatusCode.OK)
                {
                    return probe;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(250);
        }

        return null;
    }
}

using System.Text.Json;

namespace OrleansSlm.Tests.Support;

/// <summary>The silos that the dashboard's <c>DashboardCounters</c> report lists.</summary>
public static class DashboardHosts
{
    /// <summary>The silo statuses of the first report that lists a silo, or of the last one when none did in time.</summary>
    public static async Task<IReadOnlyList<string>> WaitForAsync(HttpClient client, TimeSpan patience) =>
        (await WaitForHostsAsync(client, patience)).Select(host => host.GetProperty("status").GetString()!).ToList();

    /// <summary>The address of the first silo the dashboard lists, as its per-silo routes take it.</summary>
    public static async Task<string> FirstSiloAddressAsync(HttpClient client, TimeSpan patience)
    {
        var hosts = await WaitForHostsAsync(client, patience);
        Assert.True(hosts.Count > 0, $"The dashboard listed no silo within {patience.TotalSeconds:F0} s.");
        return hosts[0].GetProperty("siloAddress").GetString()!;
    }

    /// <summary>
    /// Polls until the report lists a silo, returning the hosts of the last report either way: the dashboard
    /// collects its counters on a timer, so the first reports after a start are empty.
    /// </summary>
    private static async Task<IReadOnlyList<JsonElement>> WaitForHostsAsync(HttpClient client, TimeSpan patience)
    {
        var deadline = DateTime.UtcNow + patience;
        while (true)
        {
            using var counters = JsonDocument.Parse(await client.GetStringAsync("/dashboard/DashboardCounters"));
            var hosts = counters.RootElement.GetProperty("hosts").EnumerateArray().Select(host => host.Clone()).ToList();
            if (hosts.Count > 0 || DateTime.UtcNow > deadline)
            {
                return hosts;
            }

            await Task.Delay(250);
        }
    }
}

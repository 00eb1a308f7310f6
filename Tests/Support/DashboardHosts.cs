using System.Text.Json;

namespace OrleansSlm.Tests.Support;

/// <summary>The silos that the dashboard's <c>DashboardCounters</c> report lists.</summary>
public static class DashboardHosts
{
    /// <summary>
    /// Polls until the report lists a silo, returning the silo statuses of the last report either way: the dashboard
    /// collects its counters on a timer, so the first reports after a start are empty.
    /// </summary>
    public static async Task<IReadOnlyList<string>> WaitForAsync(HttpClient client, TimeSpan patience)
    {
        var deadline = DateTime.UtcNow + patience;
        while (true)
        {
            using var counters = JsonDocument.Parse(await client.GetStringAsync("/dashboard/DashboardCounters"));
            var statuses = counters.RootElement.GetProperty("hosts").EnumerateArray().Select(host => host.GetProperty("status").GetString()!).ToList();
            if (statuses.Count > 0 || DateTime.UtcNow > deadline)
            {
                return statuses;
            }

            await Task.Delay(250);
        }
    }
}

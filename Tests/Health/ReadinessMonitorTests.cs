using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Time.Testing;
using OrleansSlm.ServiceDefaults.Health;

namespace OrleansSlm.Tests.Health;

/// <summary>The probes on a bare host with a counting readiness check and a clock that moves only when told.</summary>
public sealed class ReadinessMonitorTests
{
    [Fact]
    public async Task Readiness_calls_answer_from_the_background_report_without_running_a_check()
    {
        var check = new CountingCheck();
        var clock = new FakeTimeProvider();
        await using var app = await StartAsync(check, clock);
        var client = app.GetTestClient();
        await WaitForRunsAsync(check, 1);

        for (var call = 0; call < 100; call++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/readyz")).StatusCode);
        }

        Assert.Equal(1, check.Runs);
    }

    [Fact]
    public async Task The_report_is_refreshed_every_refresh_period_while_it_passes()
    {
        var check = new CountingCheck();
        var clock = new FakeTimeProvider();
        await using var app = await StartAsync(check, clock);
        await WaitForRunsAsync(check, 1);

        clock.Advance(TimeSpan.FromSeconds(4));
        await Task.Delay(100);
        Assert.Equal(1, check.Runs);
        clock.Advance(TimeSpan.FromSeconds(1));

        await WaitForRunsAsync(check, 2);
    }

    [Fact]
    public async Task A_failing_check_shows_by_name_only_and_its_recovery_shows_within_a_second()
    {
        var check = new CountingCheck { Healthy = false };
        var clock = new FakeTimeProvider();
        await using var app = await StartAsync(check, clock);
        var client = app.GetTestClient();
        await WaitForRunsAsync(check, 1);

        var failing = await GetAsync(client, "/readyz");
        check.Healthy = true;
        clock.Advance(TimeSpan.FromSeconds(1));
        await WaitForRunsAsync(check, 2);
        var recovered = await GetAsync(client, "/readyz");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, failing.Status);
        Assert.Equal("""{"status":"unhealthy","failed":["counting"]}""", failing.Body);
        Assert.Equal((HttpStatusCode.OK, """{"status":"healthy","failed":[]}"""), (recovered.Status, recovered.Body));
    }

    [Fact]
    public async Task The_details_route_carries_each_checks_description_and_the_public_route_does_not()
    {
        var check = new CountingCheck();
        await using var app = await StartAsync(check, new FakeTimeProvider());
        var client = app.GetTestClient();
        await WaitForRunsAsync(check, 1);

        var details = await GetAsync(client, ProbeEndpoints.DetailsPath);
        var ready = await GetAsync(client, "/readyz");

        using var document = JsonDocument.Parse(details.Body);
        Assert.Equal(CountingCheck.Description, document.RootElement.GetProperty("checks").GetProperty("counting").GetProperty("description").GetString());
        Assert.DoesNotContain(CountingCheck.Description, ready.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Readiness_answers_503_starting_until_the_first_report()
    {
        var check = new CountingCheck { Gate = new TaskCompletionSource() };
        await using var app = await StartAsync(check, new FakeTimeProvider());
        var client = app.GetTestClient();

        var starting = await GetAsync(client, "/readyz");
        check.Gate.SetResult();
        await WaitForRunsAsync(check, 1);

        Assert.Equal((HttpStatusCode.ServiceUnavailable, """{"status":"starting","failed":[]}"""), (starting.Status, starting.Body));
    }

    private static async Task<WebApplication> StartAsync(CountingCheck check, TimeProvider clock)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Services.AddSingleton(clock);
        builder.Services.AddProbes().Add(new HealthCheckRegistration("counting", check, HealthStatus.Unhealthy, [HealthTags.Ready]));
        var app = builder.Build();
        app.MapProbes();
        await app.StartAsync();
        return app;
    }

    private static async Task WaitForRunsAsync(CountingCheck check, int runs)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (check.Completed < runs && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        Assert.Equal(runs, check.Completed);
        // The report is stored just after the check returns.
        await Task.Delay(50);
    }

    private static async Task<(HttpStatusCode Status, string Body)> GetAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private sealed class CountingCheck : IHealthCheck
    {
        public const string Description = "counted on silo 10.0.0.7:11111";

        private int _runs;
        private int _completed;

        public bool Healthy { get; set; } = true;

        public TaskCompletionSource? Gate { get; init; }

        public int Runs => Volatile.Read(ref _runs);

        public int Completed => Volatile.Read(ref _completed);

        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _runs);
            if (Gate is not null)
            {
                await Gate.Task;
            }

            Interlocked.Increment(ref _completed);
            return Healthy ? HealthCheckResult.Healthy(Description) : HealthCheckResult.Unhealthy(Description);
        }
    }
}

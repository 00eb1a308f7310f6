using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Hosting;
using OrleansSlm.Grains.Hosting;
using OrleansSlm.Grains.Inference;

namespace OrleansSlm.Tests.Support;

/// <summary>
/// A silo hosted in the test process with exactly the cluster configuration of the Silo program:
/// real ADO.NET clustering and grain storage on PostgreSQL, no test membership.
/// </summary>
public sealed class ClusterSilo : IAsyncDisposable
{
    private readonly IHost _host;
    private bool _killed;

    private ClusterSilo(IHost host, int gatewayPort)
    {
        _host = host;
        GatewayPort = gatewayPort;
    }

    public int GatewayPort { get; }

    public IServiceProvider Services => _host.Services;

    public static Task<ClusterSilo> StartAsync(string postgresConnectionString, string clusterId, string role = "cpu") =>
        StartAsync(ClusterConfiguration(postgresConnectionString, clusterId, role));

    public static async Task<ClusterSilo> StartAsync(IDictionary<string, string?> settings, IModelSource? modelSource = null, StorageFaults? storageFaults = null)
    {
        var silo = Create(settings, modelSource, storageFaults);
        await silo._host.StartAsync();
        return silo;
    }

    /// <summary>
    /// A silo that is configured but not started, for tests that start several at the same moment; with
    /// <paramref name="storageFaults"/> in front of its grain storage.
    /// </summary>
    public static ClusterSilo Create(IDictionary<string, string?> settings, IModelSource? modelSource = null, StorageFaults? storageFaults = null)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.UseOrleans(silo =>
        {
            silo.UseOrleansSlmCluster(builder.Configuration);
            if (storageFaults is not null)
            {
                silo.Services.AddStorageFaults(storageFaults);
            }
        });
        if (modelSource is not null)
        {
            builder.Services.AddSingleton(modelSource);
        }

        return new ClusterSilo(builder.Build(), int.Parse(settings["Orleans:GatewayPort"]!));
    }

    public static Dictionary<string, string?> ClusterConfiguration(string postgresConnectionString, string clusterId, string role = "cpu") => new(TestModel.Settings)
    {
        ["ConnectionStrings:Postgres"] = postgresConnectionString,
        ["Orleans:ClusterId"] = clusterId,
        ["Orleans:ServiceId"] = "orleans-slm-tests",
        ["Orleans:SiloPort"] = FreePort.Next().ToString(),
        ["Orleans:GatewayPort"] = FreePort.Next().ToString(),
        ["Orleans:AdvertisedIPAddress"] = "127.0.0.1",
        ["Orleans:Metadata:role"] = role,
    };

    public Task StartAsync() => _host.StartAsync();

    public Task StopAsync() => _host.StopAsync();

    /// <summary>Waits until this silo's scheduler runs a request, so that stopping or killing it catches work in flight.</summary>
    public async Task WaitUntilRunningAsync(TimeSpan patience)
    {
        var scheduler = Services.GetRequiredService<InferenceHost>().Scheduler!;
        var deadline = DateTime.UtcNow + patience;
        while (scheduler.Status.Running == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        Assert.True(scheduler.Status.Running > 0, $"no request reached the silo within {patience.TotalSeconds} s");
    }

    /// <summary>Stops the silo without a graceful shutdown: no draining, no goodbye to the cluster.</summary>
    public async Task KillAsync()
    {
        _killed = true;
        await _host.StopAsync(new CancellationToken(canceled: true));
        _host.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        if (_killed)
        {
            return;
        }

        try
        {
            await _host.StopAsync(TimeSpan.FromSeconds(10));
        }
        finally
        {
            _host.Dispose();
        }
    }
}

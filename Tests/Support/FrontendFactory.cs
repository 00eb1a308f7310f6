using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using OrleansSlm.Grains.Inference;

namespace OrleansSlm.Tests.Support;

/// <summary>The Frontend program on the ASP.NET Core test host, with settings layered over its appsettings.</summary>
public sealed class FrontendFactory(IReadOnlyDictionary<string, string?> settings) : WebApplicationFactory<Program>
{
    /// <summary>The embedded default, on free silo and gateway ports so that tests can run side by side.</summary>
    public static FrontendFactory Embedded(IReadOnlyDictionary<string, string?>? extra = null) => new(new Dictionary<string, string?>
    {
        ["Orleans:Mode"] = "Embedded",
        ["Orleans:SiloPort"] = FreePort.Next().ToString(),
        ["Orleans:GatewayPort"] = FreePort.Next().ToString(),
    }.Concat(TestModel.Settings).Concat(extra ?? new Dictionary<string, string?>())
        .GroupBy(setting => setting.Key).ToDictionary(group => group.Key, group => group.Last().Value));

    /// <summary>The embedded default with the real model's decode steps slowed to <paramref name="stepTime"/>, so a test can act mid-generation.</summary>
    public static WebApplicationFactory<Program> EmbeddedPaced(TimeSpan stepTime, IReadOnlyDictionary<string, string?>? extra = null) =>
        Embedded(extra).WithWebHostBuilder(web => web.ConfigureTestServices(services =>
            services.AddSingleton<IModelSource>(SwappedDecoderModelSource.Paced(stepTime))));

    /// <summary>A frontend in client mode, joining the cluster <paramref name="clusterId"/> through its PostgreSQL membership table.</summary>
    public static FrontendFactory Client(string postgresConnectionString, string clusterId, IReadOnlyDictionary<string, string?>? extra = null) => new(
        new Dictionary<string, string?>
        {
            ["Orleans:Mode"] = "Client",
            ["Orleans:ClusterId"] = clusterId,
            ["Orleans:ServiceId"] = "orleans-slm-tests",
            ["ConnectionStrings:Postgres"] = postgresConnectionString,
        }.Concat(extra ?? new Dictionary<string, string?>()).ToDictionary());

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }
    }
}

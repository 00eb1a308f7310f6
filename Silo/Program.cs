using OrleansSlm.Grains.Hosting;
using OrleansSlm.ServiceDefaults.Configuration;
using OrleansSlm.ServiceDefaults.Health;
using OrleansSlm.ServiceDefaults.Hosting;
using OrleansSlm.ServiceDefaults.Observability;
using OrleansSlm.Silo.Commands;
using OrleansSlm.Silo.Hosting;

if (args is ["migrate", ..])
{
    return await MigrateCommand.RunAsync(args[1..]);
}

if (args is ["generate", ..])
{
    return await GenerateCommand.RunAsync(args[1..]);
}

return await HostRunExtensions.BuildAndRunAsync(() =>
{
    var builder = WebApplication.CreateBuilder(args);
    var kubernetes = KubernetesHosting.IsEnabled(builder.Configuration);
    if (kubernetes && KubernetesHosting.MissingPodVariables(builder.Configuration) is { Count: > 0 } missing)
    {
        throw new StartupException(
            $"{KubernetesHosting.ConfigurationKey} is true but {string.Join(", ", missing)} is not set: run the silo in a pod " +
            "that passes them from the downward API, or set Orleans:Kubernetes to false.");
    }

    builder.WebHost.UseDefaultUrl(builder.Configuration, "http://localhost:8081");
    builder.UseOrleans(silo =>
    {
        silo.UseOrleansSlmCluster(builder.Configuration);
        // In a Kubernetes pod: silo name and address from the downward API, and pods of dead silos are deleted.
        if (kubernetes)
        {
            silo.UseKubernetesHosting();
        }
    });
    builder.Services.AddProbes()
        .AddPostgresCheck(builder.Configuration.GetRequiredPostgresConnectionString())
        .AddLocalSiloCheck();
    builder.AddOrleansSlmMetrics();

    var app = builder.Build();
    app.MapProbes();
    app.MapOrleansSlmMetrics();
    app.MapOrleansSlmDashboard();
    return app;
});

using OrleansSlm.Grains.Hosting;
using OrleansSlm.Infrastructure.Configuration;
using OrleansSlm.Infrastructure.Health;
using OrleansSlm.Infrastructure.Hosting;
using OrleansSlm.Silo.Commands;

if (args is ["migrate", ..])
{
    return await MigrateCommand.RunAsync(args[1..]);
}

if (args is ["generate", ..])
{
    return await GenerateCommand.RunAsync(args[1..]);
}

var builder = WebApplication.CreateBuilder(args);
builder.WebHost.UseDefaultUrl(builder.Configuration, "http://localhost:8081");
builder.UseOrleans(silo => silo.UseOrleansSlmCluster(builder.Configuration));
builder.Services.AddHealthChecks()
    .AddProcessCheck()
    .AddPostgresCheck(builder.Configuration.GetRequiredPostgresConnectionString())
    .AddLocalSiloCheck();

var app = builder.Build();
app.MapProbes();
await app.RunAsync();
return 0;

using OrleansSlm.Frontend.Endpoints;
using OrleansSlm.Frontend.Hosting;
using OrleansSlm.Infrastructure.Health;
using OrleansSlm.Infrastructure.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.WebHost.UseDefaultUrl(builder.Configuration, "http://localhost:8080");
builder.AddOrleansForMode();

var app = builder.Build();
app.MapProbes();
app.MapServiceEndpoints();
await app.RunAsync();

/// <summary>The entry point, visible to the HTTP tests.</summary>
public partial class Program;

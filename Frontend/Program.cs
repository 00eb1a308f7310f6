using OrleansSlm.Frontend.Endpoints;
using OrleansSlm.Frontend.Hosting;
using OrleansSlm.Frontend.OpenAi;
using OrleansSlm.Frontend.Users;
using OrleansSlm.Infrastructure.Health;
using OrleansSlm.Infrastructure.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.WebHost.UseDefaultUrl(builder.Configuration, "http://localhost:8080");
builder.AddOrleansForMode();
builder.Services.AddExceptionHandler<UnexpectedErrorHandler>();
builder.Services.Configure<UserCacheOptions>(builder.Configuration.GetSection(UserCacheOptions.SectionName));
builder.Services.AddSingleton<UserCache>();

var app = builder.Build();
app.UseExceptionHandler(_ => { });
app.MapProbes();
app.MapServiceEndpoints();
app.MapUserEndpoints();
await app.RunAsync();

/// <summary>The entry point, visible to the HTTP tests.</summary>
public partial class Program;

using OrleansSlm.Frontend.Chat;
using OrleansSlm.Frontend.Endpoints;
using OrleansSlm.Frontend.Hosting;
using OrleansSlm.Frontend.Observability;
using OrleansSlm.Frontend.OpenAi;
using OrleansSlm.Frontend.Security;
using OrleansSlm.Frontend.Users;
using OrleansSlm.ServiceDefaults.Health;
using OrleansSlm.ServiceDefaults.Hosting;
using Scalar.AspNetCore;

return await HostRunExtensions.BuildAndRunAsync(() =>
{
    var builder = WebApplication.CreateBuilder(args);
    builder.WebHost.UseDefaultUrl(builder.Configuration, "http://localhost:8080");
    builder.AddOrleansForMode();
    builder.AddRequestGuards();
    builder.AddChat();
    builder.AddUsers();
    builder.AddObservability();
    builder.Services.AddOpenApi();
    builder.Services.AddExceptionHandler<UnexpectedErrorHandler>();

    var app = builder.Build();
    app.UseExceptionHandler(_ => { });
    app.UseOpenAiErrorPages();
    app.UseRequestGuards();
    app.MapProbes();
    app.MapOpenApi();
    app.MapScalarApiReference("/docs", options => options.WithTitle("OrleansSlm API").WithOpenApiRoutePattern("/openapi/{documentName}.json"));
    app.MapServiceEndpoints();
    app.MapUserEndpoints();
    app.MapChatEndpoints();
    app.MapObservability();
    return app;
});

/// <summary>The entry point, visible to the HTTP tests.</summary>
public partial class Program;

using Microsoft.Extensions.Hosting;
using OrleansSlm.ServiceDefaults.Persistence;

namespace OrleansSlm.Grains.Hosting;

/// <summary>Applies the Orleans schema before any hosted service starts, so the silo never meets an empty database.</summary>
internal sealed class SchemaBootstrapService(OrleansSchema schema) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken) => schema.ApplyAsync(cancellationToken);

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

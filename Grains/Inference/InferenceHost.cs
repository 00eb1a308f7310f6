using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansSlm.Engine.Configuration;
using OrleansSlm.Engine.Decoding;
using OrleansSlm.Engine.Sampling;
using OrleansSlm.Engine.Scheduling;
using OrleansSlm.GrainsInterfaces.Inference;
using OrleansSlm.ServiceDefaults.Configuration;

namespace OrleansSlm.Grains.Inference;

/// <summary>
/// The model of an inference silo and its scheduler. The model loads while the silo starts, before it joins the
/// cluster as active, so no inference grain is ever placed on a silo without a model; a silo whose role serves no
/// inference loads nothing. On shutdown new requests are refused (callers retry elsewhere) and running ones get
/// <c>Model:DrainSeconds</c> to finish, and their callers to read their last chunks, before the scheduler stops.
/// </summary>
public sealed class InferenceHost(
    IOptions<ModelOptions> modelOptions, IOptions<OrleansOptions> orleansOptions, IModelSource source,
    ITokenSamplerFactory samplers, ILocalSiloDetails silo, ILogger<InferenceHost> logger)
    : ILifecycleParticipant<ISiloLifecycle>, IDisposable
{
    private readonly ModelOptions _options = modelOptions.Value;
    private volatile bool _draining;
    private int _openStreams;
    private LoadedModel? _model;

    public string Role { get; } = SiloRoles.Of(orleansOptions.Value.Metadata);

    public string SiloAddress => silo.SiloAddress.ToString();

    /// <summary>This silo's address as membership knows it: what a caller checks for liveness.</summary>
    public Orleans.Runtime.SiloAddress Address => silo.SiloAddress;

    public GenerationScheduler? Scheduler { get; private set; }

    public DateTimeOffset LoadedAt { get; private set; }

    public bool IsDraining => _draining;

    /// <summary>
    /// Inference grains whose stream the caller is still reading. The scheduler may be done with a request while its
    /// last chunks still wait in the grain for the caller to take them; deactivating the grain then would lose them.
    /// </summary>
    public int OpenStreams => Volatile.Read(ref _openStreams);

    public void StreamOpened() => Interlocked.Increment(ref _openStreams);

    public void StreamClosed() => Interlocked.Decrement(ref _openStreams);

    /// <summary>The scheduler's load, or null when this silo takes no inference requests (no model, or draining).</summary>
    public InferenceLoad? CurrentLoad()
    {
        if (Scheduler is not { } scheduler || _draining)
        {
            return null;
        }

        var status = scheduler.Status;
        return new InferenceLoad(status.Slots, status.Running, status.Waiting, status.MaxWaiting);
    }

    public void Participate(ISiloLifecycle lifecycle)
    {
        lifecycle.Subscribe(nameof(InferenceHost), ServiceLifecycleStage.ApplicationServices, LoadAsync, UnloadAsync);
        // Stages stop from the highest down: one above Active drains before Orleans starts deactivating grains.
        lifecycle.Subscribe(nameof(InferenceHost), ServiceLifecycleStage.Active + 1, _ => Task.CompletedTask, DrainAsync);
    }

    public void Dispose()
    {
        Scheduler?.Dispose();
        _model?.Dispose();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        if (!SiloRoles.ServesInference(Role))
        {
            logger.LogInformation("Silo role {Role} serves no inference; no model is loaded", Role);
            return;
        }

        _model = await source.LoadAsync(_options, cancellationToken);
        Scheduler = new GenerationScheduler(_model, _options, logger, Role, samplers);
        LoadedAt = DateTimeOffset.UtcNow;
        if (_model.IsSynthetic)
        {
            logger.LogWarning("Serving synthetic model {Model}: random weights, the output is noise", _model.Id);
        }
    }

    private async Task DrainAsync(CancellationToken cancellationToken)
    {
        if (Scheduler is null)
        {
            return;
        }

        _draining = true;
        var deadline = DateTime.UtcNow.AddSeconds(_options.DrainSeconds);
        while ((OpenStreams > 0 || Scheduler.Status is { Running: > 0 } or { Waiting: > 0 }) && DateTime.UtcNow < deadline && !cancellationToken.IsCancellationRequested)
        {
            await Task.Delay(100, CancellationToken.None);
        }
    }

    private Task UnloadAsync(CancellationToken cancellationToken)
    {
        Dispose();
        Scheduler = null;
        _model = null;
        return Task.CompletedTask;
    }
}

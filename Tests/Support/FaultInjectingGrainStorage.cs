using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Orleans.Providers;
using Orleans.Runtime;
using Orleans.Storage;

namespace OrleansSlm.Tests.Support;

/// <summary>A silo's default grain storage with <see cref="StorageFaults"/> in front of it.</summary>
public sealed class FaultInjectingGrainStorage(IGrainStorage inner, StorageFaults faults) : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>
{
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        faults.ThrowIfDead();
        return inner.ReadStateAsync(stateName, grainId, grainState);
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        faults.WriteAsync(stateName, () => inner.WriteStateAsync(stateName, grainId, grainState));

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        faults.WriteAsync(stateName, () => inner.ClearStateAsync(stateName, grainId, grainState));

    /// <summary>The ADO.NET storage prepares its queries in the silo lifecycle; Orleans finds it through this decorator.</summary>
    public void Participate(ISiloLifecycle lifecycle) => (inner as ILifecycleParticipant<ISiloLifecycle>)?.Participate(lifecycle);
}

public static class FaultInjectingGrainStorageExtensions
{
    /// <summary>Puts <paramref name="faults"/> in front of the default grain storage registered before this call.</summary>
    public static IServiceCollection AddStorageFaults(this IServiceCollection services, StorageFaults faults)
    {
        var storage = services.Last(service => service.ServiceType == typeof(IGrainStorage)
            && Equals(service.ServiceKey, ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME));
        services.Remove(storage);
        services.AddKeyedSingleton<IGrainStorage>(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME,
            (provider, key) => new FaultInjectingGrainStorage((IGrainStorage)storage.KeyedImplementationFactory!(provider, key), faults));
        return services;
    }
}

namespace OrleansSlm.Frontend.Chat;

/// <summary>
/// Whether the cluster's membership has declared a silo dead, from Orleans' management grain: it answers on the
/// gateway (or, embedded, the co-hosted silo) after re-reading the membership table, so the answer is the cluster's
/// verdict, not a guess from one broken connection. Answers are shared for a second, so the many requests of one
/// failed silo ask once. A silo this process hosts is alive by definition.
/// </summary>
public sealed class SiloLiveness(IGrainFactory grains, IServiceProvider services, TimeProvider clock, ILogger<SiloLiveness> logger)
{
    private static readonly TimeSpan Freshness = TimeSpan.FromSeconds(1);

    /// <summary>A gateway that does not answer within this may be the dead silo itself; the next question goes elsewhere.</summary>
    private static readonly TimeSpan QueryTimeout = TimeSpan.FromSeconds(5);

    private readonly SiloAddress? _local = services.GetService<ILocalSiloDetails>()?.SiloAddress;
    private readonly Lock _gate = new();
    private (DateTimeOffset At, Task<Dictionary<SiloAddress, SiloStatus>?> Hosts)? _last;

    /// <summary>True only when membership lists <paramref name="silo"/> as dead; false while it is a member, or when membership cannot be read.</summary>
    public async Task<bool> IsDeclaredDeadAsync(SiloAddress silo) =>
        !silo.Equals(_local) && await HostsAsync() is { } hosts && hosts.TryGetValue(silo, out var status) && status == SiloStatus.Dead;

    /// <summary>Asks every second until membership declares <paramref name="silo"/> dead or <paramref name="patience"/> has passed.</summary>
    public async Task<bool> IsDeclaredDeadWithinAsync(SiloAddress silo, TimeSpan patience, CancellationToken cancellationToken)
    {
        if (silo.Equals(_local))
        {
            return false;
        }

        var deadline = clock.GetUtcNow() + patience;
        while (!await IsDeclaredDeadAsync(silo))
        {
            if (clock.GetUtcNow() >= deadline)
            {
                return false;
            }

            await Task.Delay(Freshness, clock, cancellationToken);
        }

        return true;
    }

    private Task<Dictionary<SiloAddress, SiloStatus>?> HostsAsync()
    {
        lock (_gate)
        {
            var now = clock.GetUtcNow();
            if (_last is not { } last || now - last.At >= Freshness)
            {
                _last = last = (now, ReadHostsAsync());
            }

            return last.Hosts;
        }
    }

    private async Task<Dictionary<SiloAddress, SiloStatus>?> ReadHostsAsync()
    {
        try
        {
            return await grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: false).WaitAsync(QueryTimeout);
        }
        catch (Exception exception) when (exception is OrleansException or TimeoutException)
        {
            logger.LogWarning("Cluster membership could not be read: {Message}", exception.Message);
            return null;
        }
    }
}

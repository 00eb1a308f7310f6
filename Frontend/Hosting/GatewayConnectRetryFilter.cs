namespace OrleansSlm.Frontend.Hosting;

/// <summary>Keeps trying to reach a gateway for a bounded time at start-up, so silos and frontends can start in any order.</summary>
internal sealed class GatewayConnectRetryFilter(TimeSpan patience, ILogger<GatewayConnectRetryFilter> logger) : IClientConnectionRetryFilter
{
    private static readonly TimeSpan Delay = TimeSpan.FromSeconds(1);
    private readonly DateTimeOffset _deadline = DateTimeOffset.UtcNow + patience;

    public async Task<bool> ShouldRetryConnectionAttempt(Exception exception, CancellationToken cancellationToken)
    {
        if (DateTimeOffset.UtcNow >= _deadline)
        {
            logger.LogError("No Orleans gateway answered within {Seconds} s: {Message}", patience.TotalSeconds, exception.Message);
            return false;
        }

        logger.LogWarning("Waiting for an Orleans gateway: {Message}", exception.Message);
        await Task.Delay(Delay, cancellationToken);
        return true;
    }
}

using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace OrleansSlm.Frontend.Chat;

/// <summary>Readiness reaches an inference grain on an inference silo and its model's scheduler: the whole chain a chat request takes.</summary>
public sealed class InferenceHealthCheck(ModelCatalog catalog) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var card = await catalog.DescribeAsync(cancellationToken);
            return HealthCheckResult.Healthy(
                $"model {card.Id} on silo {card.Silo} (role {card.Role}): {card.Load.Running}/{card.Load.Slots} slots busy, {card.Load.Waiting} waiting");
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"no inference silo answered: {exception.Message}");
        }
    }
}

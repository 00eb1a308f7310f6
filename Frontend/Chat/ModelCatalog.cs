using OrleansSlm.GrainsInterfaces.Inference;

namespace OrleansSlm.Frontend.Chat;

/// <summary>
/// The models the cluster serves, for <c>/v1/models</c>, <c>/question</c> and <c>/</c>: learnt by asking an inference
/// grain (placed on an inference silo like any request) and kept for a few seconds. Chat requests are not checked here:
/// the grain that serves one checks its model.
/// </summary>
public sealed class ModelCatalog(IGrainFactory grains, TimeProvider time)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    // A reference, swapped whole, so concurrent requests never read half of an update.
    private volatile CachedCard? _cached;

    /// <summary>Asks an inference silo now: the round trip readiness relies on.</summary>
    public async Task<ModelCard> DescribeAsync(CancellationToken cancellationToken)
    {
        var card = await grains.GetGrain<IInferenceGrain>(Guid.NewGuid()).DescribeAsync().WaitAsync(Timeout, cancellationToken);
        _cached = new CachedCard(card, time.GetUtcNow());
        return card;
    }

    public async Task<IReadOnlyList<ModelCard>> GetModelsAsync(CancellationToken cancellationToken)
    {
        if (_cached is { } cached && time.GetUtcNow() - cached.Fetched < Lifetime)
        {
            return [cached.Card];
        }

        return [await DescribeAsync(cancellationToken)];
    }

    public async Task<ModelCard?> FindAsync(string id, CancellationToken cancellationToken) =>
        (await GetModelsAsync(cancellationToken)).FirstOrDefault(model => string.Equals(model.Id, id, StringComparison.Ordinal));

    private sealed record CachedCard(ModelCard Card, DateTimeOffset Fetched);
}

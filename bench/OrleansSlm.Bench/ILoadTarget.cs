namespace OrleansSlm.Bench;

/// <summary>Something that serves generation requests: the HTTP API, or the engine's scheduler in this process.</summary>
internal interface ILoadTarget : IDisposable
{
    /// <summary>Warms the target up (requests excluded from the results) and says what will be measured.</summary>
    Task<RunDescription> PrepareAsync(CancellationToken cancellationToken);

    /// <summary>Sends request number <paramref name="index"/> and measures it; failures are outcomes, not exceptions.</summary>
    Task<RequestOutcome> SendAsync(int index, CancellationToken cancellationToken);
}

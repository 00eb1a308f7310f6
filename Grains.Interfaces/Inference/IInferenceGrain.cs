namespace OrleansSlm.GrainsInterfaces.Inference;

/// <summary>
/// Runs chat requests on the model of the inference silo it lives on. It holds no state: callers use a fresh key per
/// request, so every request is placed anew on the inference silo with the most free capacity (GPU silos first).
/// </summary>
public interface IInferenceGrain : IGrainWithGuidKey
{
    /// <summary>The model this silo serves and its scheduler's load; a round trip that proves the silo can take requests.</summary>
    Task<ModelCard> DescribeAsync();

    /// <summary>The whole completion at once. Generation is long next to Orleans' default call timeout.</summary>
    [ResponseTimeout("00:10:00")]
    Task<ChatCompletion> CompleteAsync(ChatRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// The completion as it is generated. Stopping the enumeration (or cancelling) frees the request's KV cache slot
    /// at the next decode step. Refusals (<see cref="InferenceRejectedException"/>) come before the first chunk.
    /// </summary>
    IAsyncEnumerable<CompletionChunk> StreamAsync(ChatRequest request, CancellationToken cancellationToken);
}

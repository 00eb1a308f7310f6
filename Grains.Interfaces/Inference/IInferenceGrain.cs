namespace OrleansSlm.GrainsInterfaces.Inference;

/// <summary>
/// Runs chat requests on the model of the inference silo it lives on. It holds no state: callers use a fresh key per
/// request, so every request is placed anew on the inference silo with the most free capacity (GPU silos first).
/// </summary>
public interface IInferenceGrain : IGrainWithGuidKey
{
    /// <summary>The model this silo serves and its scheduler's load; a round trip that proves the silo can take requests.</summary>
    Task<ModelCard> DescribeAsync();

    /// <summary>
    /// The completion as it is generated. The request is checked (model, context, fields) before the first chunk;
    /// refusals (<see cref="InferenceRejectedException"/>) come before it. The first chunk comes as soon as the request
    /// is queued and names the silo that accepted it (<see cref="CompletionChunk.AcceptedOn"/>), so a caller knows whose
    /// liveness decides whether the request may be sent elsewhere. While the scheduler is silent an empty chunk comes
    /// every <see cref="InferenceStreaming.KeepAlive"/>. Stopping the enumeration (or cancelling) frees the
    /// request's KV cache slot at the next step. The last chunk carries the finish reason.
    /// </summary>
    IAsyncEnumerable<CompletionChunk> StreamAsync(ChatRequest request, CancellationToken cancellationToken);
}

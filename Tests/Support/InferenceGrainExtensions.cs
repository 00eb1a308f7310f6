using OrleansSlm.GrainsInterfaces.Inference;

namespace OrleansSlm.Tests.Support;

public static class InferenceGrainExtensions
{
    /// <summary>Reads a grain's stream to its end and returns the last chunk, which carries the finish reason and the token counts.</summary>
    public static async Task<CompletionChunk> LastChunkAsync(this IInferenceGrain grain, ChatRequest request)
    {
        CompletionChunk? last = null;
        await foreach (var chunk in grain.StreamAsync(request, CancellationToken.None))
        {
            last = chunk;
        }

        return last ?? throw new InvalidOperationException("The stream ended without a chunk.");
    }
}

using OrleansSlm.GrainsInterfaces.Inference;

namespace OrleansSlm.Frontend.Chat;

/// <summary>
/// Sends a chat request to a fresh inference grain, so placement picks the silo with the most free capacity. A request
/// that fails before its first token (its silo died, left, or stopped serving) is sent again to another placement;
/// once tokens have reached the caller a failure is reported, never hidden.
/// </summary>
public sealed class InferenceClient(IGrainFactory grains, ILogger<InferenceClient> logger)
{
    private const int Attempts = 3;

    public async Task<ChatCompletion> CompleteAsync(ChatRequest request, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await Grain().CompleteAsync(request, cancellationToken);
            }
            catch (Exception exception) when (attempt < Attempts && IsRetryable(exception, cancellationToken))
            {
                logger.LogWarning("Chat request failed on attempt {Attempt} ({Error}); sending it again", attempt, exception.Message);
            }
        }
    }

    /// <summary>Starts a stream and waits for its first chunk, so refusals surface before any response is written.</summary>
    public async Task<IAsyncEnumerator<CompletionChunk>> StartStreamAsync(ChatRequest request, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var stream = Grain().StreamAsync(request, cancellationToken).GetAsyncEnumerator(cancellationToken);
            try
            {
                if (!await stream.MoveNextAsync())
                {
                    throw new InvalidOperationException("The inference grain ended the stream without a chunk.");
                }

                return stream;
            }
            catch (Exception exception) when (attempt < Attempts && IsRetryable(exception, cancellationToken))
            {
                logger.LogWarning("Chat stream failed to start on attempt {Attempt} ({Error}); sending it again", attempt, exception.Message);
                await DisposeQuietlyAsync(stream);
            }
            catch
            {
                await DisposeQuietlyAsync(stream);
                throw;
            }
        }
    }

    private IInferenceGrain Grain() => grains.GetGrain<IInferenceGrain>(Guid.NewGuid());

    private static bool IsRetryable(Exception exception, CancellationToken cancellationToken) =>
        !cancellationToken.IsCancellationRequested && exception switch
        {
            InferenceRejectedException rejected => rejected.Reason == InferenceRejection.Unavailable,
            OrleansException or TimeoutException => true,
            _ => false,
        };

    private static async Task DisposeQuietlyAsync(IAsyncEnumerator<CompletionChunk> stream)
    {
        try
        {
            await stream.DisposeAsync();
        }
        catch (Exception exception) when (exception is OrleansException or TimeoutException or OperationCanceledException or InferenceRejectedException)
        {
            // The silo that failed the stream may be gone; there is nothing left to release there.
        }
    }
}

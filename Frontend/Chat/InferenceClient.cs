using System.Text;
using Microsoft.Extensions.Options;
using OrleansSlm.GrainsInterfaces.Inference;

namespace OrleansSlm.Frontend.Chat;

/// <summary>
/// Sends a chat request to a fresh inference grain, so placement picks the silo with the most free capacity. Streams
/// carry a chunk at least every <see cref="InferenceStreaming.KeepAlive"/>; a stream silent for
/// <c>Chat:StallTimeoutSeconds</c> comes from a dead silo and fails at once instead of waiting out Orleans' call
/// timeout. A request that fails before anything reached the caller (every non-streaming one, a stream before its
/// first chunk) is sent again to a new placement, after a pause long enough for placement to see fresh loads.
/// </summary>
public sealed class InferenceClient(IGrainFactory grains, IOptions<ChatLimitsOptions> options, ILogger<InferenceClient> logger)
{
    private const int Attempts = 3;
    private static readonly TimeSpan RetryPause = TimeSpan.FromMilliseconds(300);

    private TimeSpan StallTimeout => TimeSpan.FromSeconds(options.Value.StallTimeoutSeconds);

    /// <summary>
    /// The whole completion, assembled here from the stream (the one place a non-streaming answer is put together), so
    /// that a dying silo is noticed and the request re-sent.
    /// </summary>
    public Task<Completion> CompleteAsync(ChatRequest request, CancellationToken cancellationToken) =>
        WithRetriesAsync(request, async stream =>
        {
            var text = new StringBuilder();
            CompletionChunk? last = null;
            while (await NextAsync(stream, cancellationToken))
            {
                text.Append(stream.Current.Text);
                last = stream.Current;
            }

            await stream.DisposeAsync();
            return last is { FinishReason: { } finishReason }
                ? new Completion(text.ToString(), finishReason, last.PromptTokens, last.CompletionTokens)
                : throw new InvalidOperationException("The inference stream ended without a finish reason.");
        }, cancellationToken);

    /// <summary>Starts a stream and waits for its first chunk, so refusals surface before any response is written.</summary>
    public Task<IAsyncEnumerator<CompletionChunk>> StartStreamAsync(ChatRequest request, CancellationToken cancellationToken) =>
        WithRetriesAsync(request, async stream => await NextAsync(stream, cancellationToken)
            ? stream
            : throw new InvalidOperationException("The inference grain ended the stream without a chunk."), cancellationToken);

    /// <summary>The next chunk of a stream; a stream silent for longer than the stall timeout throws <see cref="TimeoutException"/>.</summary>
    public async ValueTask<bool> NextAsync(IAsyncEnumerator<CompletionChunk> stream, CancellationToken cancellationToken)
    {
        // Chunks often arrive in batches: one already buffered needs no stall timer.
        var next = stream.MoveNextAsync();
        if (next.IsCompleted)
        {
            return await next;
        }

        try
        {
            return await next.AsTask().WaitAsync(StallTimeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"The inference silo sent nothing for {StallTimeout.TotalSeconds:F0} s (Chat:StallTimeoutSeconds); it is taken for dead.");
        }
    }

    /// <summary>Releases a stream that failed without waiting: the silo behind it may be gone, and a wait would hold the response.</summary>
    public void Abandon(IAsyncEnumerator<CompletionChunk>? stream)
    {
        if (stream is not null)
        {
            _ = DisposeQuietlyAsync(stream);
        }
    }

    /// <summary>Runs <paramref name="use"/> on a stream from a fresh placement, again on another after a retryable failure.</summary>
    private async Task<T> WithRetriesAsync<T>(ChatRequest request, Func<IAsyncEnumerator<CompletionChunk>, Task<T>> use, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var stream = grains.GetGrain<IInferenceGrain>(Guid.NewGuid()).StreamAsync(request, cancellationToken).GetAsyncEnumerator(cancellationToken);
            try
            {
                return await use(stream);
            }
            catch (Exception exception) when (attempt < Attempts && IsRetryable(exception, cancellationToken))
            {
                logger.LogWarning("Chat request failed on attempt {Attempt} ({Error}); sending it again", attempt, exception.Message);
                Abandon(stream);
                await Task.Delay(RetryPause, cancellationToken);
            }
            catch
            {
                Abandon(stream);
                throw;
            }
        }
    }

    /// <summary>Failures that another placement may not meet: the silo is gone, stopping or unreachable. A request's own failure is not one.</summary>
    internal static bool IsRetryable(Exception exception, CancellationToken cancellationToken) =>
        !cancellationToken.IsCancellationRequested && exception switch
        {
            InferenceRejectedException rejected => rejected.Reason == InferenceRejection.Unavailable,
            OrleansException or TimeoutException or EnumerationAbortedException => true,
            _ => false,
        };

    private static async Task DisposeQuietlyAsync(IAsyncEnumerator<CompletionChunk> stream)
    {
        try
        {
            await stream.DisposeAsync();
        }
        catch (Exception exception) when (exception is OrleansException or TimeoutException or OperationCanceledException or InferenceRejectedException or InvalidOperationException)
        {
            // The silo that failed the stream may be gone; there is nothing left to release there.
        }
    }
}

using System.Text;
using Microsoft.Extensions.Options;
using OrleansSlm.GrainsInterfaces.Inference;

namespace OrleansSlm.Frontend.Chat;

/// <summary>
/// Sends a chat request to a fresh inference grain, so placement picks the silo with the most free capacity. Streams
/// carry a chunk at least every <see cref="InferenceStreaming.KeepAlive"/>, the first one as soon as a silo has
/// accepted the request. A request that nothing has reached the caller of yet (every non-streaming one, a stream
/// before its first chunk) is sent again to a new placement, after a pause long enough for placement to see fresh
/// loads, only when no generation of it can still be running: the silo never accepted it, the silo itself ended it,
/// or the cluster's membership declares the silo dead. A silo that has accepted a request and falls silent for
/// <c>Chat:StallTimeoutSeconds</c> while membership still lists it is slow, not gone, and is waited for: sending the
/// request elsewhere would generate it a second time from scratch.
/// </summary>
public sealed class InferenceClient(IGrainFactory grains, SiloLiveness liveness, IOptions<ChatLimitsOptions> options, ILogger<InferenceClient> logger)
{
    /// <summary>
    /// Tries per request, each after a longer pause (300 ms, 600 ms, 900 ms): a silo that drains still counts as a member
    /// until it stops, and placement falls back to a random silo when no load report came back in time (a busy
    /// machine), so a request may meet the draining silo more than twice before placement sees the survivors' loads.
    /// </summary>
    private const int Attempts = 4;

    private static readonly TimeSpan RetryPause = TimeSpan.FromMilliseconds(300);

    /// <summary>
    /// How long a call that broke after its silo accepted the request waits for membership's verdict on that silo. The
    /// connection of a crashed silo breaks at once, its death is declared later: Orleans' failure detection (three
    /// missed probes of 5 s, then a vote written to the table) fits well within this.
    /// </summary>
    private static readonly TimeSpan DeathVerdictPatience = TimeSpan.FromSeconds(30);

    private TimeSpan StallTimeout => TimeSpan.FromSeconds(options.Value.StallTimeoutSeconds);

    /// <summary>
    /// The whole completion, assembled here from the stream (the one place a non-streaming answer is put together), so
    /// that a dead silo is noticed and the request re-sent.
    /// </summary>
    public Task<Completion> CompleteAsync(ChatRequest request, CancellationToken cancellationToken) =>
        WithRetriesAsync(request, async stream =>
        {
            var text = new StringBuilder();
            CompletionChunk? last = null;
            while (await NextWhileSiloLivesAsync(stream, cancellationToken))
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
        WithRetriesAsync<IAsyncEnumerator<CompletionChunk>>(request, async stream => await NextWhileSiloLivesAsync(stream, cancellationToken)
            ? stream
            : throw new InvalidOperationException("The inference grain ended the stream without a chunk."), cancellationToken);

    /// <summary>
    /// The next chunk of a stream that has reached the caller; one silent for longer than the stall timeout throws
    /// <see cref="TimeoutException"/>, which ends the caller's stream with an error.
    /// </summary>
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
            throw Stalled();
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

    /// <summary>Failures that another placement may not meet: the silo is gone, stopping or unreachable. A request's own failure is not one.</summary>
    internal static bool IsRetryable(Exception exception, CancellationToken cancellationToken) =>
        !cancellationToken.IsCancellationRequested && exception switch
        {
            InferenceRejectedException rejected => rejected.Reason == InferenceRejection.Unavailable,
            OrleansException or TimeoutException or EnumerationAbortedException => true,
            _ => false,
        };

    /// <summary>
    /// Failures that say the silo no longer runs the request: it stopped generating it (its model is gone, it is
    /// shutting down), it was declared dead, or it dropped the enumeration (which cancels the generation).
    /// </summary>
    internal static bool EndedOnSilo(Exception exception) =>
        exception is InferenceRejectedException { Reason: InferenceRejection.Unavailable } or SiloDeclaredDeadException or EnumerationAbortedException;

    /// <summary>
    /// The next chunk of a request that nothing has reached the caller of yet. Silence past the stall timeout before
    /// any silo accepted the request fails the attempt: a working silo accepts at once. After acceptance, membership
    /// decides at each stall: a dead silo fails the attempt, a live one is waited for.
    /// </summary>
    private async ValueTask<bool> NextWhileSiloLivesAsync(SiloStream stream, CancellationToken cancellationToken)
    {
        var next = stream.MoveNextAsync();
        if (next.IsCompleted)
        {
            return await next;
        }

        var pending = next.AsTask();
        while (true)
        {
            try
            {
                return await pending.WaitAsync(StallTimeout, cancellationToken);
            }
            catch (TimeoutException) when (!pending.IsCompleted)
            {
                if (stream.Silo is not { } silo)
                {
                    throw Stalled();
                }

                if (await liveness.IsDeclaredDeadAsync(silo))
                {
                    throw new SiloDeclaredDeadException(silo);
                }

                logger.LogWarning(
                    "Silo {Silo} has sent nothing for {Seconds} s but is a live cluster member: waiting for it rather than generating the request again elsewhere",
                    silo, StallTimeout.TotalSeconds);
            }
        }
    }

    /// <summary>Runs <paramref name="use"/> on a stream from a fresh placement, again on another after a failure that leaves nothing of the request running.</summary>
    private async Task<T> WithRetriesAsync<T>(ChatRequest request, Func<SiloStream, Task<T>> use, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var stream = new SiloStream(grains.GetGrain<IInferenceGrain>(Guid.NewGuid()).StreamAsync(request, cancellationToken).GetAsyncEnumerator(cancellationToken));
            try
            {
                return await use(stream);
            }
            catch (Exception exception) when (attempt < Attempts && IsRetryable(exception, cancellationToken))
            {
                Abandon(stream);
                if (stream.Silo is { } silo && !EndedOnSilo(exception) && !await liveness.IsDeclaredDeadWithinAsync(silo, DeathVerdictPatience, cancellationToken))
                {
                    throw new InferenceRejectedException(
                        InferenceRejection.Unavailable,
                        $"Silo {silo} accepted the request, then the call to it failed ({exception.Message}); it is still a cluster member, so the request " +
                        "was not sent to another silo, where it would be generated a second time.",
                        retryAfterSeconds: 1);
                }

                logger.LogWarning("Chat request failed on attempt {Attempt} ({Error}); sending it again", attempt, exception.Message);
                await Task.Delay(RetryPause * attempt, cancellationToken);
            }
            catch
            {
                Abandon(stream);
                throw;
            }
        }
    }

    private TimeoutException Stalled() =>
        new($"The inference silo sent nothing for {StallTimeout.TotalSeconds:F0} s (Chat:StallTimeoutSeconds); it is taken for dead.");

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

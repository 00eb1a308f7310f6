using System.Runtime.CompilerServices;
using Orleans.Concurrency;
using OrleansSlm.Engine.Decoding;
using OrleansSlm.Engine.Sampling;
using OrleansSlm.Engine.Scheduling;
using OrleansSlm.Grains.Placement;
using OrleansSlm.GrainsInterfaces.Inference;

namespace OrleansSlm.Grains.Inference;

/// <summary>
/// Turns a chat request into engine work on this silo's scheduler. One activation per request (callers use a fresh
/// key), placed by <see cref="InferencePlacementDirector"/>; it deactivates as soon as its request ends.
/// </summary>
[InferencePlacement]
[Reentrant]
public sealed class InferenceGrain(InferenceHost host) : Grain, IInferenceGrain
{
    public Task<ModelCard> DescribeAsync()
    {
        var model = RequireScheduler().Model;
        DeactivateOnIdle();
        return Task.FromResult(new ModelCard(
            model.Id, model.IsSynthetic, model.Decoder.MaxSequenceLength, host.LoadedAt, host.SiloAddress, host.Role, host.CurrentLoad()!));
    }

    public async IAsyncEnumerable<CompletionChunk> StreamAsync(ChatRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        IAsyncEnumerator<GeneratedChunk> pending;
        GenerationRequest generation;
        host.StreamOpened();
        try
        {
            var scheduler = RequireScheduler();
            generation = request.ToGenerationRequest(scheduler.Model);
            pending = Start(scheduler, generation, stop.Token).GetAsyncEnumerator(CancellationToken.None);
        }
        catch
        {
            host.StreamClosed();
            DeactivateOnIdle();
            throw;
        }

        var next = pending.MoveNextAsync().AsTask();
        // Keep-alives carry the counts so far: the prompt's from the start.
        var counts = (Prompt: generation.PromptTokens.Count, Completion: 0);
        try
        {
            // The request is queued: say where, at once, before any token or keep-alive.
            yield return new CompletionChunk("", null, counts.Prompt, counts.Completion, host.Address);
            while (true)
            {
                // While the scheduler is silent (queueing, a long prefill) an empty chunk goes out every keep-alive, so
                // the caller can tell a busy silo from a dead one. A token already waiting needs no timer.
                if (!next.IsCompleted)
                {
                    await ((Task)next).WaitAsync(InferenceStreaming.KeepAlive, CancellationToken.None).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ContinueOnCapturedContext);
                }

                if (!next.IsCompleted)
                {
                    yield return new CompletionChunk("", null, counts.Prompt, counts.Completion);
                    continue;
                }

                if (next.IsFaulted)
                {
                    throw Translate(next.Exception.InnerException ?? next.Exception);
                }

                if (!await next)
                {
                    break;
                }

                var chunk = pending.Current;
                counts = (chunk.PromptTokens, chunk.CompletionTokens);
                yield return new CompletionChunk(chunk.Text, chunk.FinishReason?.WireName(), chunk.PromptTokens, chunk.CompletionTokens);
                next = pending.MoveNextAsync().AsTask();
            }
        }
        finally
        {
            // Runs once the caller has taken the last chunk (or stopped reading): a draining silo may now stop.
            host.StreamClosed();
            // The caller may stop reading at any point: cancel the request, let its last read finish, then release it.
            await stop.CancelAsync();
            await ((Task)next).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ContinueOnCapturedContext);
            await pending.DisposeAsync();
            DeactivateOnIdle();
        }
    }

    private static IAsyncEnumerable<GeneratedChunk> Start(GenerationScheduler scheduler, GenerationRequest generation, CancellationToken cancellationToken)
    {
        try
        {
            return scheduler.GenerateAsync(generation, cancellationToken);
        }
        catch (EngineOverloadedException overloaded)
        {
            throw new InferenceRejectedException(
                InferenceRejection.Overloaded, overloaded.Message, retryAfterSeconds: (int)Math.Ceiling(overloaded.RetryAfter.TotalSeconds));
        }
        catch (ArgumentException invalid)
        {
            throw new InferenceRejectedException(InferenceRejection.InvalidRequest, invalid.Message);
        }
    }

    /// <summary>
    /// Why the scheduler ended the request: a fault of the request's own (not worth sending elsewhere), or the
    /// scheduler stopped (silo shutting down) or its model failed (the caller may send the request elsewhere).
    /// </summary>
    private InferenceRejectedException Translate(Exception error) => error is RequestFailedException
        ? new(InferenceRejection.Failed, $"Silo {host.SiloAddress} could not generate this request: {error.Message}")
        : new(InferenceRejection.Unavailable, $"Silo {host.SiloAddress} stopped generating: {error.Message}", retryAfterSeconds: 1);

    private GenerationScheduler RequireScheduler() =>
        host.Scheduler is { } scheduler && !host.IsDraining
            ? scheduler
            : throw new InferenceRejectedException(
                InferenceRejection.Unavailable, $"Silo {host.SiloAddress} ({host.Role}) is not serving a model now.", retryAfterSeconds: 1);
}

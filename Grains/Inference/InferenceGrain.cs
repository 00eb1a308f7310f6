using System.Runtime.CompilerServices;
using Orleans.Concurrency;
using OrleansSlm.Grains.Placement;
using OrleansSlm.GrainsInterfaces.Inference;
using OrleansSlm.Infrastructure.Engine;
using OrleansSlm.Infrastructure.Scheduling;
using OrleansSlm.Infrastructure.Text;

namespace OrleansSlm.Grains.Inference;

/// <summary>
/// Turns a chat request into engine work on this silo's scheduler. One activation per request (callers use a fresh
/// key), placed by <see cref="InferencePlacementDirector"/>; it deactivates as soon as its request ends.
/// </summary>
[InferencePlacement]
[Reentrant]
public sealed class InferenceGrain(InferenceHost host) : Grain, IInferenceGrain
{
    /// <summary>How often a silent stream sends an empty chunk; callers treat several missed ones as a dead silo.</summary>
    public static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(2);

    public Task<ModelCard> DescribeAsync()
    {
        var model = RequireScheduler().Model;
        DeactivateOnIdle();
        return Task.FromResult(new ModelCard(
            model.Id, model.IsSynthetic, model.Decoder.MaxSequenceLength, host.LoadedAt, host.SiloAddress, host.Role, host.CurrentLoad()!));
    }

    public async Task<ChatCompletion> CompleteAsync(ChatRequest request, CancellationToken cancellationToken)
    {
        var text = new System.Text.StringBuilder();
        CompletionChunk? last = null;
        await foreach (var chunk in StreamAsync(request, cancellationToken))
        {
            text.Append(chunk.Text);
            last = chunk;
        }

        return new ChatCompletion(request.Model, text.ToString(), last?.FinishReason ?? "stop", last?.PromptTokens ?? 0, last?.CompletionTokens ?? 0);
    }

    public async IAsyncEnumerable<CompletionChunk> StreamAsync(ChatRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        IAsyncEnumerator<GeneratedChunk> pending;
        int promptTokens;
        host.StreamOpened();
        try
        {
            var scheduler = RequireScheduler();
            (var generation, promptTokens) = Prepare(scheduler, request);
            pending = Start(scheduler, generation, stop.Token).GetAsyncEnumerator(CancellationToken.None);
        }
        catch
        {
            host.StreamClosed();
            DeactivateOnIdle();
            throw;
        }

        var next = pending.MoveNextAsync().AsTask();
        var completionTokens = 0;
        try
        {
            while (true)
            {
                // While the scheduler is silent (queueing, a long prefill) an empty chunk goes out every KeepAlive, so
                // the caller can tell a busy silo from a dead one. A token already waiting needs no timer.
                if (!next.IsCompleted)
                {
                    await ((Task)next).WaitAsync(KeepAlive, CancellationToken.None).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ContinueOnCapturedContext);
                }

                if (!next.IsCompleted)
                {
                    yield return new CompletionChunk("", null, promptTokens, completionTokens);
                    continue;
                }

                if (next.IsFaulted)
                {
                    throw Unavailable(next.Exception.InnerException ?? next.Exception);
                }

                if (!await next)
                {
                    break;
                }

                var chunk = pending.Current;
                if (chunk.TokenId is not null)
                {
                    completionTokens++;
                }

                yield return new CompletionChunk(chunk.Text, chunk.FinishReason?.ToString().ToLowerInvariant(), promptTokens, completionTokens);
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

    /// <summary>The scheduler stopped (silo shutting down) or its model failed: the caller may send the request elsewhere.</summary>
    private InferenceRejectedException Unavailable(Exception error) =>
        new(InferenceRejection.Unavailable, $"Silo {host.SiloAddress} stopped generating: {error.Message}", retryAfterSeconds: 1);

    private GenerationScheduler RequireScheduler() =>
        host.Scheduler is { } scheduler && !host.IsDraining
            ? scheduler
            : throw new InferenceRejectedException(
                InferenceRejection.Unavailable, $"Silo {host.SiloAddress} ({host.Role}) is not serving a model now.", retryAfterSeconds: 1);

    private static (GenerationRequest Request, int PromptTokens) Prepare(GenerationScheduler scheduler, ChatRequest request)
    {
        var model = scheduler.Model;
        if (!string.Equals(request.Model, model.Id, StringComparison.Ordinal))
        {
            throw new InferenceRejectedException(InferenceRejection.ModelNotFound, $"The model '{request.Model}' does not exist; this cluster serves '{model.Id}'.", "model");
        }

        var prompt = model.Tokenizer.Encode(model.ChatTemplate.Render([.. request.Messages.Select(turn => new ChatMessage(turn.Role, turn.Content))]));
        var context = model.Decoder.MaxSequenceLength;
        var room = context - prompt.Count;
        if (room < 1 || request.MaxTokens > room)
        {
            throw new InferenceRejectedException(
                InferenceRejection.ContextLengthExceeded,
                $"This model's maximum context length is {context} tokens. However, you requested {prompt.Count + (request.MaxTokens ?? 0)} tokens " +
                $"({prompt.Count} in the messages, {request.MaxTokens ?? 0} in the completion). Please reduce the length of the messages or completion.",
                "messages");
        }

        var sampling = new Infrastructure.Sampling.SamplingOptions
        {
            Temperature = request.Sampling.Temperature,
            TopP = request.Sampling.TopP,
            TopK = request.Sampling.TopK,
            MinP = request.Sampling.MinP,
            PresencePenalty = request.Sampling.PresencePenalty,
            FrequencyPenalty = request.Sampling.FrequencyPenalty,
            RepetitionPenalty = request.Sampling.RepetitionPenalty,
            Seed = request.Sampling.Seed,
        };
        return (new GenerationRequest(prompt, sampling, request.MaxTokens ?? room, request.Stop, request.IgnoreEos), prompt.Count);
    }
}

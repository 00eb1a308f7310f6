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
    public Task<ModelCard> DescribeAsync()
    {
        var scheduler = RequireScheduler();
        var model = scheduler.Model;
        var status = scheduler.Status;
        DeactivateOnIdle();
        return Task.FromResult(new ModelCard(
            model.Id, model.IsSynthetic, model.Decoder.MaxSequenceLength, host.LoadedAt, host.SiloAddress, host.Role,
            new InferenceLoad(status.Slots, status.Running, status.Waiting, status.MaxWaiting)));
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
        try
        {
            var scheduler = RequireScheduler();
            var (generation, promptTokens) = Prepare(scheduler, request);
            var completionTokens = 0;
            IAsyncEnumerable<GeneratedChunk> chunks;
            try
            {
                chunks = scheduler.GenerateAsync(generation, cancellationToken);
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

            await foreach (var chunk in chunks)
            {
                if (chunk.TokenId is not null)
                {
                    completionTokens++;
                }

                yield return new CompletionChunk(chunk.Text, chunk.FinishReason?.ToString().ToLowerInvariant(), promptTokens, completionTokens);
            }
        }
        finally
        {
            DeactivateOnIdle();
        }
    }

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

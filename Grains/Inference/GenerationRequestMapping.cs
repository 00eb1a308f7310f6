using OrleansSlm.Engine.Decoding;
using OrleansSlm.Engine.Sampling;
using OrleansSlm.Engine.Text;
using OrleansSlm.GrainsInterfaces.Inference;

namespace OrleansSlm.Grains.Inference;

/// <summary>
/// The one mapping from a chat request as the grain contract carries it to the engine's request: the model checked,
/// the messages rendered with the model's template and tokenised, the context checked, and sampling completed with
/// the engine's defaults. Every refusal here is an <see cref="InferenceRejectedException"/> naming the field at fault.
/// </summary>
internal static class GenerationRequestMapping
{
    public static GenerationRequest ToGenerationRequest(this ChatRequest request, LoadedModel model)
    {
        if (!string.Equals(request.Model, model.Id, StringComparison.Ordinal))
        {
            throw InferenceRejectedException.ModelNotFound(request.Model);
        }

        var prompt = model.Tokenizer.Encode(Render(model.ChatTemplate, request.Messages));
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

        return new GenerationRequest(prompt, request.Sampling.ToSamplingOptions(), request.MaxTokens ?? Math.Min(room, request.DefaultMaxTokens), request.Stop, request.IgnoreEos);
    }

    /// <summary>The conversation in the model's template; one the template cannot render (Gemma's turns must alternate) is the caller's to fix.</summary>
    private static string Render(IChatTemplate template, IReadOnlyList<ChatTurn> turns)
    {
        try
        {
            return template.Render([.. turns.Select(turn => new ChatMessage(turn.Role, turn.Content))]);
        }
        catch (ArgumentException invalid)
        {
            throw new InferenceRejectedException(InferenceRejection.InvalidRequest, invalid.Message, "messages");
        }
    }

    /// <summary>
    /// The caller's settings over the engine's defaults (a field the caller left out keeps the default), normalised:
    /// a temperature below <see cref="SamplingOptions.GreedyBelow"/> is greedy.
    /// </summary>
    public static SamplingOptions ToSamplingOptions(this Sampling sampling)
    {
        var defaults = new SamplingOptions();
        return new SamplingOptions
        {
            Temperature = sampling.Temperature ?? defaults.Temperature,
            TopP = sampling.TopP ?? defaults.TopP,
            TopK = sampling.TopK ?? defaults.TopK,
            MinP = sampling.MinP ?? defaults.MinP,
            PresencePenalty = sampling.PresencePenalty ?? defaults.PresencePenalty,
            FrequencyPenalty = sampling.FrequencyPenalty ?? defaults.FrequencyPenalty,
            RepetitionPenalty = sampling.RepetitionPenalty ?? defaults.RepetitionPenalty,
            Seed = sampling.Seed ?? defaults.Seed,
        }.Normalized();
    }
}

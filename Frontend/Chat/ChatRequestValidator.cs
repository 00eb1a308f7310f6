using System.Text;
using System.Text.Json;
using OrleansSlm.Frontend.OpenAi;
using OrleansSlm.GrainsInterfaces.Inference;

namespace OrleansSlm.Frontend.Chat;

/// <summary>Checks every field of a chat request and names the first one at fault, as the OpenAI API does.</summary>
public static class ChatRequestValidator
{
    public const int MaxStopSequences = 4;

    private static readonly string[] Roles = ["system", "developer", "user", "assistant"];

    public static (ValidatedChat? Chat, IResult? Error) Validate(ChatCompletionBody body, ChatLimitsOptions limits)
    {
        if (string.IsNullOrWhiteSpace(body.Model))
        {
            return Fail("model is required.", "model");
        }

        var (messages, messagesError) = Messages(body.Messages, limits);
        if (messagesError is not null)
        {
            return (null, messagesError);
        }

        if (body.MaxTokens is not null && body.MaxCompletionTokens is not null && body.MaxTokens != body.MaxCompletionTokens)
        {
            return Fail("Set max_tokens or max_completion_tokens, not both with different values.", "max_completion_tokens");
        }

        var maxTokens = body.MaxCompletionTokens ?? body.MaxTokens;
        var maxTokensParam = body.MaxCompletionTokens is not null ? "max_completion_tokens" : "max_tokens";
        if (maxTokens is < 1)
        {
            return Fail($"{maxTokensParam} must be at least 1; got {maxTokens}.", maxTokensParam);
        }

        if (SamplingError(body) is { } samplingError)
        {
            return (null, samplingError);
        }

        var (stop, stopError) = StopSequences(body.Stop);
        if (stopError is not null)
        {
            return (null, stopError);
        }

        if (body.N is not null and not 1)
        {
            return Fail($"Only n = 1 is supported; got {body.N}.", "n");
        }

        var stream = body.Stream ?? false;
        if (body.StreamOptions is not null && !stream)
        {
            return Fail("stream_options is only allowed when stream is true.", "stream_options");
        }

        // Fields left out stay null and take the engine's defaults; vLLM's top_k -1 means off, as 0 does.
        var sampling = new Sampling(
            body.Temperature, body.TopP, body.TopK is -1 ? 0 : body.TopK, body.MinP, body.PresencePenalty, body.FrequencyPenalty, body.RepetitionPenalty,
            body.Seed is { } seed ? unchecked((ulong)seed) : null);
        var request = new ChatRequest(body.Model.Trim(), messages!, maxTokens, sampling, stop!, body.IgnoreEos ?? false, limits.DefaultMaxTokens);
        return (new ValidatedChat(request, stream, body.StreamOptions?.IncludeUsage ?? false), null);
    }

    private static (IReadOnlyList<ChatTurn>? Turns, IResult? Error) Messages(List<ChatMessageBody?>? messages, ChatLimitsOptions limits)
    {
        if (messages is null)
        {
            return (null, ApiErrors.InvalidRequest("messages is required.", "messages"));
        }

        if (messages.Count == 0)
        {
            return (null, ApiErrors.InvalidRequest("messages must contain at least one message.", "messages"));
        }

        if (messages.Count > limits.MaxMessages)
        {
            return (null, ApiErrors.InvalidRequest($"messages holds {messages.Count} messages; at most {limits.MaxMessages} are allowed.", "messages"));
        }

        var turns = new List<ChatTurn>(messages.Count);
        var characters = 0;
        for (var i = 0; i < messages.Count; i++)
        {
            var param = $"messages[{i}]";
            if (messages[i] is not { } message)
            {
                return (null, ApiErrors.InvalidRequest($"{param} must be an object.", param));
            }

            if (message.Role is null || !Roles.Contains(message.Role))
            {
                return (null, ApiErrors.InvalidRequest(
                    $"{param}.role must be one of 'system', 'developer', 'user', 'assistant'; got {(message.Role is null ? "nothing" : $"'{message.Role}'")}.",
                    $"{param}.role"));
            }

            var (content, contentError) = Content(message.Content, $"{param}.content");
            if (contentError is not null)
            {
                return (null, contentError);
            }

            characters += content!.Length;
            if (characters > limits.MaxMessageChars)
            {
                return (null, ApiErrors.InvalidRequest(
                    $"The messages hold more than {limits.MaxMessageChars} characters (Chat:MaxMessageChars).", "messages", "context_length_exceeded"));
            }

            turns.Add(new ChatTurn(message.Role == "developer" ? "system" : message.Role, content));
        }

        return (turns, null);
    }

    private static (string? Text, IResult? Error) Content(JsonElement? content, string param)
    {
        switch (content?.ValueKind)
        {
            case JsonValueKind.String:
                return JsonText.ValidString(content.Value) is { } whole ? (whole, null) : (null, JsonText.InvalidUnicode(param));
            case JsonValueKind.Array:
                var text = new StringBuilder();
                var index = 0;
                foreach (var part in content.Value.EnumerateArray())
                {
                    var (piece, partError) = TextPart(part, $"{param}[{index}]");
                    if (partError is not null)
                    {
                        return (null, partError);
                    }

                    text.Append(piece);
                    index++;
                }

                return (text.ToString(), null);
            default:
                return (null, ApiErrors.InvalidRequest($"{param} must be a string or an array of text parts.", param));
        }
    }

    private static (string? Text, IResult? Error) TextPart(JsonElement part, string param)
    {
        try
        {
            if (part.ValueKind != JsonValueKind.Object
                || !part.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String
                || type.GetString() != "text"
                || !part.TryGetProperty("text", out var partText) || partText.ValueKind != JsonValueKind.String)
            {
                return (null, ApiErrors.InvalidRequest(
                    $"{param} must be a text part {{\"type\":\"text\",\"text\":\"…\"}}; this model reads text only.", param));
            }

            return (partText.GetString(), null);
        }
        catch (InvalidOperationException)
        {
            // A lone surrogate in the part's type or text: reading either as a string throws.
            return (null, JsonText.InvalidUnicode(param));
        }
    }

    private static IResult? SamplingError(ChatCompletionBody body)
    {
        return body switch
        {
            { Temperature: { } t } when !(t is >= 0 and <= 2) => ApiErrors.InvalidRequest($"temperature must be between 0 and 2; got {t}.", "temperature"),
            { TopP: { } p } when !(p is > 0 and <= 1) => ApiErrors.InvalidRequest($"top_p must be greater than 0 and at most 1; got {p}.", "top_p"),
            { TopK: { } k } when k < -1 => ApiErrors.InvalidRequest($"top_k must be -1 or 0 (off) or positive; got {k}.", "top_k"),
            { MinP: { } m } when !(m is >= 0 and <= 1) => ApiErrors.InvalidRequest($"min_p must be between 0 and 1; got {m}.", "min_p"),
            { PresencePenalty: { } pp } when !(pp is >= -2 and <= 2) => ApiErrors.InvalidRequest($"presence_penalty must be between -2 and 2; got {pp}.", "presence_penalty"),
            { FrequencyPenalty: { } fp } when !(fp is >= -2 and <= 2) => ApiErrors.InvalidRequest($"frequency_penalty must be between -2 and 2; got {fp}.", "frequency_penalty"),
            { RepetitionPenalty: { } rp } when !(rp is > 0 and <= 10) => ApiErrors.InvalidRequest($"repetition_penalty must be greater than 0 and at most 10; got {rp}.", "repetition_penalty"),
            _ => null,
        };
    }

    private static (IReadOnlyList<string>? Stop, IResult? Error) StopSequences(JsonElement? stop)
    {
        switch (stop?.ValueKind)
        {
            case null or JsonValueKind.Null:
                return ([], null);
            case JsonValueKind.String:
                return JsonText.ValidString(stop.Value) is { } single ? NonEmpty([single]) : (null, JsonText.InvalidUnicode("stop"));
            case JsonValueKind.Array:
                var values = new List<string>();
                foreach (var item in stop.Value.EnumerateArray())
                {
                    if (item.ValueKind != JsonValueKind.String)
                    {
                        return (null, ApiErrors.InvalidRequest("stop must be a string or an array of strings.", "stop"));
                    }

                    if (JsonText.ValidString(item) is not { } value)
                    {
                        return (null, JsonText.InvalidUnicode("stop"));
                    }

                    values.Add(value);
                }

                return values.Count > MaxStopSequences
                    ? (null, ApiErrors.InvalidRequest($"stop holds {values.Count} strings; at most {MaxStopSequences} are allowed.", "stop"))
                    : NonEmpty(values);
            default:
                return (null, ApiErrors.InvalidRequest("stop must be a string or an array of strings.", "stop"));
        }
    }

    private static (IReadOnlyList<string>? Stop, IResult? Error) NonEmpty(List<string> values) =>
        values.Any(string.IsNullOrEmpty)
            ? (null, ApiErrors.InvalidRequest("A stop string must not be empty.", "stop"))
            : (values, null);

    private static (ValidatedChat? Chat, IResult? Error) Fail(string message, string param) => (null, ApiErrors.InvalidRequest(message, param));
}

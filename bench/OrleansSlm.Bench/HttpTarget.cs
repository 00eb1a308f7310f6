using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OrleansSlm.Bench;

/// <summary>
/// The service through its OpenAI-compatible API: streaming <c>POST /v1/chat/completions</c>, greedy, with vLLM's
/// <c>ignore_eos</c> so that every request generates <c>max_tokens</c> tokens, and <c>stream_options.include_usage</c>
/// so that token counts come from the server. One connection per client, kept alive across its requests.
/// </summary>
internal sealed class HttpTarget : ILoadTarget
{
    public const string Mode = "http";

    /// <summary>Probes that adjust the word count until the server counts the wanted prompt tokens; two usually suffice.</summary>
    private const int CalibrationProbes = 4;

    private const int ErrorBodyCharacters = 300;

    private static readonly Uri ChatCompletions = new("v1/chat/completions", UriKind.Relative);
    private static readonly MediaTypeWithQualityHeaderValue EventStream = new("text/event-stream");

    private readonly HttpSettings _settings;
    private readonly LoadProfile _profile;
    private readonly HttpClient _client;
    private int _words;

    public HttpTarget(HttpSettings settings, LoadProfile profile)
    {
        _settings = settings;
        _profile = profile;
        _words = profile.PromptTokens;
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = profile.Concurrency,
            ConnectTimeout = TimeSpan.FromSeconds(10),
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
        };
        _client = new HttpClient(handler) { BaseAddress = settings.BaseUrl, Timeout = Timeout.InfiniteTimeSpan };
        if (!string.IsNullOrEmpty(settings.ApiKey))
        {
            _client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", settings.ApiKey);
        }
    }

    /// <summary>
    /// The server wraps the prompt in the model's chat template (SmolLM2's adds a system turn), so a prompt of n
    /// words is more than n tokens. One-token probes find the word count at which the server's
    /// <c>usage.prompt_tokens</c> equals <c>--prompt-tokens</c>, which is the token count the engine mode prefills;
    /// then one full request warms the path up.
    /// </summary>
    public async Task<RunDescription> PrepareAsync(CancellationToken cancellationToken)
    {
        var wanted = _profile.PromptTokens;
        for (var probe = 0; probe < CalibrationProbes; probe++)
        {
            var outcome = Require(await SendAsync(_words, 0, 1, cancellationToken), "prompt calibration");
            if (outcome.PromptTokens is not { } counted || counted == wanted || Math.Max(1, _words + wanted - counted) == _words)
            {
                break;
            }

            _words = Math.Max(1, _words + wanted - counted);
        }

        var warmUp = Require(await SendAsync(_words, 0, _profile.MaxTokens, cancellationToken), "warm-up");
        if (warmUp.CompletionTokens < _profile.MaxTokens)
        {
            await Console.Error.WriteLineAsync(
                $"warning: the warm-up request generated {warmUp.CompletionTokens} of max_tokens {_profile.MaxTokens} tokens; " +
                "the server may not honour ignore_eos, so requests will be shorter than asked.");
        }

        var words = $"{_words} word{(_words == 1 ? "" : "s")}";
        if (warmUp.PromptTokens is { } served && served != wanted)
        {
            await Console.Error.WriteLineAsync(
                $"warning: the server counts {served} prompt tokens for {words}, not the {wanted} asked " +
                "(the chat template alone may be longer); the results report the server's count.");
        }

        var prompt = warmUp.PromptTokens is { } tokens
            ? $"{words}, {tokens} prompt tokens as the server counts them (chat template included)"
            : $"{words} (the server reports no usage, so the prompt's token count is unknown)";
        return RunDescription.Create(Mode, _settings.Model, _settings.Precision, _settings.BaseUrl.ToString(), null, null, prompt, _profile);
    }

    public Task<RequestOutcome> SendAsync(int index, CancellationToken cancellationToken) =>
        SendAsync(_words, index, _profile.MaxTokens, cancellationToken);

    public void Dispose() => _client.Dispose();

    private async Task<RequestOutcome> SendAsync(int words, int index, int maxTokens, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_profile.RequestTimeout);
        var timeline = new TokenTimeline();
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, ChatCompletions)
            {
                Content = new StringContent(Body(words, index, maxTokens), Encoding.UTF8, "application/json"),
            };
            request.Headers.Accept.Add(EventStream);
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            if (!response.IsSuccessStatusCode)
            {
                var body = await response.Content.ReadAsStringAsync(timeout.Token);
                return timeline.Failed(Classify(response.StatusCode), $"HTTP {(int)response.StatusCode}: {body[..Math.Min(body.Length, ErrorBodyCharacters)]}");
            }

            await using var stream = await response.Content.ReadAsStreamAsync(timeout.Token);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            var textChunks = 0;
            int? promptTokens = null;
            int? completionTokens = null;
            while (await reader.ReadLineAsync(timeout.Token) is { } line)
            {
                if (!line.StartsWith("data:", StringComparison.Ordinal))
                {
                    continue;
                }

                var data = line[5..].Trim();
                if (data == "[DONE]")
                {
                    return timeline.Succeeded(completionTokens ?? textChunks, promptTokens);
                }

                var chunk = StreamChunk.Parse(data);
                if (chunk.Error is not null)
                {
                    return timeline.Failed(RequestError.StreamFailed, $"error event: {chunk.Error}");
                }

                if (chunk.HasText)
                {
                    timeline.TextArrived();
                    textChunks++;
                }

                promptTokens = chunk.PromptTokens ?? promptTokens;
                completionTokens = chunk.CompletionTokens ?? completionTokens;
            }

            return timeline.Failed(RequestError.StreamFailed, "the stream ended without data: [DONE]");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return timeline.Failed(RequestError.StreamFailed, $"no answer within {_profile.RequestTimeout.TotalSeconds:0} s (--request-timeout)");
        }
        catch (Exception exception) when (exception is HttpRequestException or IOException or JsonException)
        {
            return timeline.Failed(RequestError.StreamFailed, $"{exception.GetType().Name}: {exception.Message}");
        }
    }

    private string Body(int words, int index, int maxTokens)
    {
        var body = new JsonObject
        {
            ["model"] = _settings.Model,
            ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = PromptText.Build(words, index) }),
            ["max_tokens"] = maxTokens,
            ["temperature"] = _profile.Temperature,
            ["stream"] = true,
            ["stream_options"] = new JsonObject { ["include_usage"] = true },
            ["ignore_eos"] = true,
        };
        if (_profile.TopP is { } topP)
        {
            body["top_p"] = topP;
        }

        if (_profile.TopK is { } topK)
        {
            body["top_k"] = topK;
        }

        return body.ToJsonString();
    }

    private static RequestError Classify(HttpStatusCode status) => status switch
    {
        HttpStatusCode.TooManyRequests => RequestError.TooManyRequests,
        HttpStatusCode.ServiceUnavailable => RequestError.ServiceUnavailable,
        _ => RequestError.OtherStatus,
    };

    private RequestOutcome Require(RequestOutcome outcome, string purpose) => outcome.Succeeded
        ? outcome
        : throw new InvalidOperationException(
            $"The {purpose} request to {new Uri(_settings.BaseUrl, ChatCompletions)} for model '{_settings.Model}' failed ({outcome.Error}): {outcome.ErrorDetail}");
}

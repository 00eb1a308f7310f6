using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using OrleansSlm.Tests.Support;

namespace OrleansSlm.Tests.Chat;

/// <summary>The wire format a client sees: SSE framing and headers, content parts, stop strings, /question.</summary>
public sealed class ChatCompletionHttpTests(EmbeddedFrontendFixture fixture) : IClassFixture<EmbeddedFrontendFixture>
{
    [Fact]
    public async Task A_stream_sends_the_role_first_then_content_then_the_finish_reason_a_usage_chunk_and_done()
    {
        using var response = await fixture.Client.PostAsync("/v1/chat/completions", Json(
            """{"model":"synthetic-tiny","messages":[{"role":"user","content":"hi"}],"max_tokens":6,"temperature":0,"stream":true,"stream_options":{"include_usage":true},"ignore_eos":true}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("no", response.Headers.GetValues("X-Accel-Buffering").Single());
        Assert.True(response.Headers.CacheControl?.NoCache);
        var events = ServerSentEvent.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("[DONE]", events[^1]);
        var chunks = events[..^1].Select(data => JsonDocument.Parse(data).RootElement).ToList();
        Assert.All(chunks, chunk => Assert.Equal("chat.completion.chunk", chunk.GetProperty("object").GetString()));
        Assert.Single(chunks.Select(chunk => chunk.GetProperty("id").GetString()).Distinct());
        Assert.Equal("assistant", Choice(chunks[0]).GetProperty("delta").GetProperty("role").GetString());
        var closing = chunks[^2];
        Assert.Equal("length", Choice(closing).GetProperty("finish_reason").GetString());
        var usage = chunks[^1];
        Assert.Equal(0, usage.GetProperty("choices").GetArrayLength());
        Assert.Equal(6, usage.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
        Assert.All(chunks[1..^2], chunk => Assert.Equal(JsonValueKind.Null, Choice(chunk).GetProperty("finish_reason").ValueKind));
    }

    [Fact]
    public async Task Content_as_text_parts_is_the_same_prompt_as_content_as_a_string()
    {
        var asString = await CompleteAsync("""[{"role":"user","content":"Tell me about grains"}]""", 8);
        var asParts = await CompleteAsync("""[{"role":"user","content":[{"type":"text","text":"Tell me about "},{"type":"text","text":"grains"}]}]""", 8);

        Assert.Equal(asString.GetProperty("usage").GetProperty("prompt_tokens").GetInt32(), asParts.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
        Assert.Equal(Text(asString), Text(asParts));
    }

    [Fact]
    public async Task A_stop_string_ends_the_answer_before_it_with_finish_reason_stop()
    {
        const string messages = """[{"role":"user","content":"Count"}]""";
        var full = Text(await CompleteAsync(messages, 40));
        var stop = full.Substring(full.Length / 2, 2);
        var expected = full[..full.IndexOf(stop, StringComparison.Ordinal)];

        var stopped = await CompleteAsync(messages, 40, $",\"stop\":[{JsonSerializer.Serialize(stop)}]");

        Assert.Equal(expected, Text(stopped));
        Assert.Equal("stop", Choice(stopped).GetProperty("finish_reason").GetString());
    }

    [Fact]
    public async Task A_question_gets_an_answer_from_the_served_model()
    {
        using var response = await fixture.Client.PostAsJsonAsync("/question", new { question = "What is an actor?" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("What is an actor?", answer.GetProperty("question").GetString());
        Assert.Equal(TestModel.Id, answer.GetProperty("model").GetString());
        Assert.False(string.IsNullOrEmpty(answer.GetProperty("answer").GetString()));
    }

    private async Task<JsonElement> CompleteAsync(string messages, int maxTokens, string extra = "")
    {
        using var response = await fixture.Client.PostAsync("/v1/chat/completions", Json(
            $$"""{"model":"synthetic-tiny","messages":{{messages}},"max_tokens":{{maxTokens}},"temperature":0,"ignore_eos":true{{extra}}}"""));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static JsonElement Choice(JsonElement completion) => completion.GetProperty("choices")[0];

    private static string Text(JsonElement completion) => Choice(completion).GetProperty("message").GetProperty("content").GetString()!;

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
}

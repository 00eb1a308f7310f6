using System.Net;
using System.Net.Http.Headers;
using System.Text;
using OrleansSlm.Tests.Support;

namespace OrleansSlm.Tests.Chat;

/// <summary>Every malformed chat, models or question request gets the right 4xx in OpenAI's error shape, never a 500.</summary>
public sealed class ChatBadInputTests(EmbeddedFrontendFixture fixture) : IClassFixture<EmbeddedFrontendFixture>
{
    private const string Hello = """[{"role":"user","content":"hi"}]""";

    public static TheoryData<string, string, HttpStatusCode, string?, string?> ChatCases() => new()
    {
        { "malformed JSON", """{"model":"synthetic-tiny","messages":[""", HttpStatusCode.BadRequest, null, null },
        { "not an object", "[1,2]", HttpStatusCode.BadRequest, null, null },
        { "model missing", $$"""{"messages":{{Hello}}}""", HttpStatusCode.BadRequest, "model", null },
        { "model of the wrong type", $$"""{"model":7,"messages":{{Hello}}}""", HttpStatusCode.BadRequest, "model", null },
        { "messages missing", """{"model":"synthetic-tiny"}""", HttpStatusCode.BadRequest, "messages", null },
        { "messages empty", """{"model":"synthetic-tiny","messages":[]}""", HttpStatusCode.BadRequest, "messages", null },
        { "messages of the wrong type", """{"model":"synthetic-tiny","messages":"hi"}""", HttpStatusCode.BadRequest, "messages", null },
        { "unknown role", """{"model":"synthetic-tiny","messages":[{"role":"wizard","content":"hi"}]}""", HttpStatusCode.BadRequest, "messages[0].role", null },
        { "tool role", """{"model":"synthetic-tiny","messages":[{"role":"tool","content":"hi"}]}""", HttpStatusCode.BadRequest, "messages[0].role", null },
        { "content missing", """{"model":"synthetic-tiny","messages":[{"role":"user"}]}""", HttpStatusCode.BadRequest, "messages[0].content", null },
        { "image content", """{"model":"synthetic-tiny","messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"x"}}]}]}""", HttpStatusCode.BadRequest, "messages[0].content[0]", null },
        { "negative max_tokens", $$"""{"model":"synthetic-tiny","messages":{{Hello}},"max_tokens":-1}""", HttpStatusCode.BadRequest, "max_tokens", null },
        { "zero max_completion_tokens", $$"""{"model":"synthetic-tiny","messages":{{Hello}},"max_completion_tokens":0}""", HttpStatusCode.BadRequest, "max_completion_tokens", null },
        { "max_tokens past the context", $$"""{"model":"synthetic-tiny","messages":{{Hello}},"max_tokens":100000}""", HttpStatusCode.BadRequest, "messages", "context_length_exceeded" },
        { "max_tokens beyond int", $$"""{"model":"synthetic-tiny","messages":{{Hello}},"max_tokens":99999999999}""", HttpStatusCode.BadRequest, "max_tokens", null },
        { "max_tokens as text", $$"""{"model":"synthetic-tiny","messages":{{Hello}},"max_tokens":"ten"}""", HttpStatusCode.BadRequest, "max_tokens", null },
        { "temperature above 2", $$"""{"model":"synthetic-tiny","messages":{{Hello}},"temperature":2.5}""", HttpStatusCode.BadRequest, "temperature", null },
        { "negative temperature", $$"""{"model":"synthetic-tiny","messages":{{Hello}},"temperature":-0.1}""", HttpStatusCode.BadRequest, "temperature", null },
        { "top_p of 0", $$"""{"model":"synthetic-tiny","messages":{{Hello}},"top_p":0}""", HttpStatusCode.BadRequest, "top_p", null },
        { "min_p above 1", $$"""{"model":"synthetic-tiny","messages":{{Hello}},"min_p":1.5}""", HttpStatusCode.BadRequest, "min_p", null },
        { "presence_penalty out of range", $$"""{"model":"synthetic-tiny","messages":{{Hello}},"presence_penalty":3}""", HttpStatusCode.BadRequest, "presence_penalty", null },
        { "five stop strings", $$"""{"model":"synthetic-tiny","messages":{{Hello}},"stop":["a","b","c","d","e"]}""", HttpStatusCode.BadRequest, "stop", null },
        { "stop of the wrong type", $$"""{"model":"synthetic-tiny","messages":{{Hello}},"stop":7}""", HttpStatusCode.BadRequest, "stop", null },
        { "empty stop string", $$"""{"model":"synthetic-tiny","messages":{{Hello}},"stop":""}""", HttpStatusCode.BadRequest, "stop", null },
        { "n of 2", $$"""{"model":"synthetic-tiny","messages":{{Hello}},"n":2}""", HttpStatusCode.BadRequest, "n", null },
        { "stream_options without stream", $$$"""{"model":"synthetic-tiny","messages":{{{Hello}}},"stream_options":{"include_usage":true}}""", HttpStatusCode.BadRequest, "stream_options", null },
        { "lone surrogate in content", """{"model":"synthetic-tiny","messages":[{"role":"user","content":"a\ud800b"}]}""", HttpStatusCode.BadRequest, "messages[0].content", null },
        { "lone low surrogate in a text part", """{"model":"synthetic-tiny","messages":[{"role":"user","content":[{"type":"text","text":"\udc00"}]}]}""", HttpStatusCode.BadRequest, "messages[0].content[0]", null },
        { "lone surrogate in a part's type", """{"model":"synthetic-tiny","messages":[{"role":"user","content":[{"type":"\ud800","text":"x"}]}]}""", HttpStatusCode.BadRequest, "messages[0].content[0]", null },
        { "lone surrogate in the role", """{"model":"synthetic-tiny","messages":[{"role":"\ud800","content":"hi"}]}""", HttpStatusCode.BadRequest, "messages[0].role", null },
        { "lone surrogate in stop", $$"""{"model":"synthetic-tiny","messages":{{Hello}},"stop":"\ud800"}""", HttpStatusCode.BadRequest, "stop", null },
        { "lone surrogate in a stop list", $$"""{"model":"synthetic-tiny","messages":{{Hello}},"stop":["ok","x\udbff"]}""", HttpStatusCode.BadRequest, "stop", null },
        { "lone surrogate in the model", $$"""{"model":"\ud800","messages":{{Hello}}}""", HttpStatusCode.BadRequest, "model", null },
        { "lone surrogate in user", $$"""{"model":"synthetic-tiny","messages":{{Hello}},"user":"\ud800"}""", HttpStatusCode.BadRequest, "user", null },
        { "unknown model", $$"""{"model":"gpt-4o","messages":{{Hello}}}""", HttpStatusCode.NotFound, "model", "model_not_found" },
        { "unknown model, streaming", $$"""{"model":"gpt-4o","messages":{{Hello}},"stream":true}""", HttpStatusCode.NotFound, "model", "model_not_found" },
    };

    [Theory]
    [MemberData(nameof(ChatCases))]
    public async Task A_bad_chat_request_gets_a_4xx_naming_the_field(string @case, string body, HttpStatusCode status, string? param, string? code)
    {
        using var response = await fixture.Client.PostAsync("/v1/chat/completions", Json(body));

        var error = await ApiErrorAssert.IsErrorAsync(response, status);
        Assert.True(param is null || error.GetProperty("param").GetString() == param, $"{@case}: {error}");
        Assert.True(code is null || error.GetProperty("code").GetString() == code, $"{@case}: {error}");
    }

    [Fact]
    public async Task Unknown_fields_are_ignored_as_openai_does()
    {
        using var response = await fixture.Client.PostAsync("/v1/chat/completions",
            Json($$$"""{"model":"synthetic-tiny","messages":{{{Hello}}},"max_tokens":2,"logit_bias":{},"store":false,"metadata":{"a":"b"}}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Too_many_messages_and_too_much_text_are_refused_with_400()
    {
        var many = string.Join(",", Enumerable.Repeat("""{"role":"user","content":"hi"}""", 257));
        var longText = new string('a', 70_000);

        using var tooMany = await fixture.Client.PostAsync("/v1/chat/completions", Json($$"""{"model":"synthetic-tiny","messages":[{{many}}]}"""));
        using var tooLong = await fixture.Client.PostAsync("/v1/chat/completions", Json($$"""{"model":"synthetic-tiny","messages":[{"role":"user","content":"{{longText}}"}]}"""));

        Assert.Equal("messages", (await ApiErrorAssert.IsErrorAsync(tooMany, HttpStatusCode.BadRequest)).GetProperty("param").GetString());
        Assert.Equal("context_length_exceeded", (await ApiErrorAssert.IsErrorAsync(tooLong, HttpStatusCode.BadRequest)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_10_megabyte_body_is_refused_with_413()
    {
        var huge = new string('a', 10 * 1024 * 1024);

        using var response = await fixture.Client.PostAsync("/v1/chat/completions", Json($$"""{"model":"synthetic-tiny","messages":[{"role":"user","content":"{{huge}}"}]}"""));

        await ApiErrorAssert.IsErrorAsync(response, HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task An_unknown_model_id_is_a_404_on_the_models_endpoint()
    {
        using var response = await fixture.Client.GetAsync("/v1/models/no-such-model");

        Assert.Equal("model_not_found", (await ApiErrorAssert.IsErrorAsync(response, HttpStatusCode.NotFound)).GetProperty("code").GetString());
    }

    [Theory]
    [InlineData("""{"question":""}""", "question")]
    [InlineData("""{"question":"   "}""", "question")]
    [InlineData("""{}""", "question")]
    [InlineData("""{"question":42}""", "question")]
    [InlineData("""{"question":"why\ud800"}""", "question")]
    [InlineData("""{"question":"why""", null)]
    public async Task A_bad_question_gets_a_400(string body, string? param)
    {
        using var response = await fixture.Client.PostAsync("/question", Json(body));

        var error = await ApiErrorAssert.IsErrorAsync(response, HttpStatusCode.BadRequest);
        Assert.True(param is null || error.GetProperty("param").GetString() == param, error.ToString());
    }

    [Fact]
    public async Task With_keys_configured_chat_models_and_question_need_the_key()
    {
        await using var frontend = FrontendFactory.Embedded(new Dictionary<string, string?> { ["Auth:ApiKeys:0"] = "chat-key" });
        var client = frontend.CreateClient();
        var chat = $$"""{"model":"synthetic-tiny","messages":{{Hello}},"max_tokens":2}""";

        await ApiErrorAssert.IsErrorAsync(await client.PostAsync("/v1/chat/completions", Json(chat)), HttpStatusCode.Unauthorized);
        await ApiErrorAssert.IsErrorAsync(await client.GetAsync("/v1/models"), HttpStatusCode.Unauthorized);
        await ApiErrorAssert.IsErrorAsync(await client.PostAsync("/question", Json("""{"question":"why"}""")), HttpStatusCode.Unauthorized);
        using var wrongKey = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = Json(chat) };
        wrongKey.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "chat-kez");
        await ApiErrorAssert.IsErrorAsync(await client.SendAsync(wrongKey), HttpStatusCode.Unauthorized);
        using var rightKey = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = Json(chat) };
        rightKey.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "chat-key");
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(rightKey)).StatusCode);
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
}

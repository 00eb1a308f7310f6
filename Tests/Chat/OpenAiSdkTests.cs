using System.ClientModel;
using System.ClientModel.Primitives;
using System.Text;
using OpenAI;
using OpenAI.Chat;
using OrleansSlm.Tests.Support;

namespace OrleansSlm.Tests.Chat;

/// <summary>The OpenAI .NET SDK, unmodified but for its endpoint and key, against the frontend.</summary>
public sealed class OpenAiSdkTests(EmbeddedFrontendFixture fixture) : IClassFixture<EmbeddedFrontendFixture>
{
    private ChatClient Chat() => new(TestModel.Id, new ApiKeyCredential("unused"), new OpenAIClientOptions
    {
        Endpoint = new Uri(fixture.Client.BaseAddress!, "/v1"),
        Transport = new HttpClientPipelineTransport(fixture.Client),
    });

#pragma warning disable OPENAI001 // seed is part of the chat API this service implements; the SDK only marks it experimental.
    private static ChatCompletionOptions Greedy(int maxTokens) => new() { Temperature = 0, Seed = 7, MaxOutputTokenCount = maxTokens };
#pragma warning restore OPENAI001

    [Fact]
    public async Task A_non_streaming_completion_returns_text_a_finish_reason_and_usage_that_adds_up()
    {
        ChatCompletion completion = await Chat().CompleteChatAsync([new UserChatMessage("What is Orleans?")], Greedy(10));

        Assert.Equal(ChatMessageRole.Assistant, completion.Role);
        Assert.False(string.IsNullOrEmpty(completion.Content[0].Text));
        Assert.StartsWith("chatcmpl-", completion.Id);
        Assert.Equal(TestModel.Id, completion.Model);
        Assert.Contains(completion.FinishReason, new[] { ChatFinishReason.Length, ChatFinishReason.Stop });
        Assert.True(completion.Usage.InputTokenCount > 0);
        Assert.InRange(completion.Usage.OutputTokenCount, 1, 10);
        Assert.Equal(completion.Usage.InputTokenCount + completion.Usage.OutputTokenCount, completion.Usage.TotalTokenCount);
    }

    [Fact]
    public async Task The_streamed_text_equals_the_non_streamed_text_for_the_same_greedy_request()
    {
        var chat = Chat();
        ChatMessage[] messages = [new SystemChatMessage("Answer briefly."), new UserChatMessage("Name a colour.")];
        ChatCompletion whole = await chat.CompleteChatAsync(messages, Greedy(24));

        var streamed = new StringBuilder();
        ChatFinishReason? finish = null;
        ChatTokenUsage? usage = null;
        await foreach (var update in chat.CompleteChatStreamingAsync(messages, Greedy(24)))
        {
            foreach (var part in update.ContentUpdate)
            {
                streamed.Append(part.Text);
            }

            finish ??= update.FinishReason;
            usage ??= update.Usage;
        }

        Assert.Equal(whole.Content[0].Text, streamed.ToString());
        Assert.Equal(whole.FinishReason, finish);
        Assert.NotNull(usage);
        Assert.Equal(whole.Usage.InputTokenCount, usage.InputTokenCount);
        Assert.Equal(whole.Usage.OutputTokenCount, usage.OutputTokenCount);
        Assert.Equal(usage.InputTokenCount + usage.OutputTokenCount, usage.TotalTokenCount);
    }

    [Fact]
    public async Task The_sdk_lists_and_retrieves_the_served_model_and_says_it_is_synthetic()
    {
        var models = new OpenAIClient(new ApiKeyCredential("unused"), new OpenAIClientOptions
        {
            Endpoint = new Uri(fixture.Client.BaseAddress!, "/v1"),
            Transport = new HttpClientPipelineTransport(fixture.Client),
        }).GetOpenAIModelClient();

        var list = (await models.GetModelsAsync()).Value;
        var model = (await models.GetModelAsync(TestModel.Id)).Value;

        Assert.Equal([TestModel.Id], list.Select(item => item.Id));
        Assert.Contains("synthetic", model.OwnedBy);
    }

    [Fact]
    public async Task An_unknown_model_is_a_404_model_not_found_the_sdk_raises()
    {
        var chat = new ChatClient("gpt-4o", new ApiKeyCredential("unused"), new OpenAIClientOptions
        {
            Endpoint = new Uri(fixture.Client.BaseAddress!, "/v1"),
            Transport = new HttpClientPipelineTransport(fixture.Client),
            RetryPolicy = new ClientRetryPolicy(0),
        });

        var error = await Assert.ThrowsAsync<ClientResultException>(() => chat.CompleteChatAsync([new UserChatMessage("hi")]));

        Assert.Equal(404, error.Status);
        Assert.Contains("model_not_found", error.Message);
    }
}

using System.ClientModel;
using System.ClientModel.Primitives;
using System.Text;
using OpenAI;
using OpenAI.Chat;
using OrleansSlm.Tests.Support;

namespace OrleansSlm.Tests.Chat;

/// <summary>The OpenAI SDK against a frontend in client mode, in front of two inference silos on PostgreSQL.</summary>
[Trait(TestCategory.Name, TestCategory.NeedsServers)]
public sealed class ClusterModeChatTests
{
    [Fact]
    public async Task Chat_plain_and_streaming_work_through_a_client_mode_frontend_and_two_silos()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        var clusterId = $"chat-{Guid.NewGuid():N}";
        await using var first = await ClusterSilo.StartAsync(database.ConnectionString, clusterId);
        await using var second = await ClusterSilo.StartAsync(database.ConnectionString, clusterId);
        await using var frontend = FrontendFactory.Client(database.ConnectionString, clusterId);
        var http = frontend.CreateClient();
        var chat = new ChatClient(TestModel.Id, new ApiKeyCredential("unused"), new OpenAIClientOptions
        {
            Endpoint = new Uri(http.BaseAddress!, "/v1"),
            Transport = new HttpClientPipelineTransport(http),
        });
        var options = new ChatCompletionOptions { Temperature = 0, MaxOutputTokenCount = 12 };
        ChatMessage[] messages = [new UserChatMessage("Where do grains live?")];

        ChatCompletion whole = await chat.CompleteChatAsync(messages, options);
        var streamed = new StringBuilder();
        await foreach (var update in chat.CompleteChatStreamingAsync(messages, options))
        {
            streamed.Append(string.Concat(update.ContentUpdate.Select(part => part.Text)));
        }

        Assert.False(string.IsNullOrEmpty(whole.Content[0].Text));
        Assert.Equal(whole.Content[0].Text, streamed.ToString());
    }
}

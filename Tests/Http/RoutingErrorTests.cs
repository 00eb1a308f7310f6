using System.Net;
using OrleansSlm.Tests.Support;

namespace OrleansSlm.Tests.Http;

/// <summary>Errors that routing answers itself carry OpenAI's error shape like every other 4xx.</summary>
public sealed class RoutingErrorTests
{
    [Fact]
    public async Task An_unknown_route_and_a_method_a_route_does_not_take_answer_in_openais_shape()
    {
        await using var frontend = FrontendFactory.Embedded();
        var client = frontend.CreateClient();

        var unknown = await ApiErrorAssert.IsErrorAsync(await client.PostAsync("/v1/embeddings", null), HttpStatusCode.NotFound);
        var wrongMethod = await ApiErrorAssert.IsErrorAsync(await client.PutAsync("/users/1", null), HttpStatusCode.MethodNotAllowed);

        Assert.Equal("Invalid URL (POST /v1/embeddings).", unknown.GetProperty("message").GetString());
        Assert.Equal("invalid_request_error", wrongMethod.GetProperty("type").GetString());
    }
}

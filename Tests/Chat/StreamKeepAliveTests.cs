using System.Net;
using System.Text;
using OrleansSlm.Tests.Support;

namespace OrleansSlm.Tests.Chat;

/// <summary>A stream that waits sends SSE comments, so a proxy's idle timeout does not cut it.</summary>
public sealed class StreamKeepAliveTests
{
    [Fact]
    public async Task A_stream_waiting_for_a_slot_gets_keep_alive_comments_before_its_first_token()
    {
        await using var frontend = FrontendFactory.EmbeddedPaced(
            TimeSpan.FromMilliseconds(100), new Dictionary<string, string?> { ["Model:MaxBatch"] = "1", ["Chat:StreamKeepAliveSeconds"] = "2" });
        var client = frontend.CreateClient();
        // 100 steps of 100 ms hold the only slot for ten seconds: the second stream waits in the queue all that time.
        using var busy = await client.SendAsync(Streamed(100), HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, busy.StatusCode);

        using var waiting = await client.SendAsync(Streamed(2), HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await waiting.Content.ReadAsStreamAsync());
        var seen = new List<string>();
        var keepAlives = 0;
        // Until two comments came, or the first token did (the role chunk's content is empty).
        while (keepAlives < 2 && await reader.ReadLineAsync() is { } line && !IsToken(line))
        {
            seen.Add(line);
            keepAlives += line == ": keep-alive" ? 1 : 0;
        }

        Assert.True(keepAlives == 2, $"no two keep-alive comments before the first token:\n{string.Join("\n", seen)}");
    }

    private static bool IsToken(string line) =>
        line.Contains("\"content\":\"", StringComparison.Ordinal) && !line.Contains("\"content\":\"\"", StringComparison.Ordinal);

    private static HttpRequestMessage Streamed(int maxTokens) => new(HttpMethod.Post, "/v1/chat/completions")
    {
        Content = new StringContent(
            $$"""{"model":"synthetic-tiny","messages":[{"role":"user","content":"hi"}],"max_tokens":{{maxTokens}},"ignore_eos":true,"stream":true}""",
            Encoding.UTF8, "application/json"),
    };
}

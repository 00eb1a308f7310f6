using Microsoft.AspNetCore.Http;
using OrleansSlm.Frontend.Chat;

namespace OrleansSlm.Tests.Chat;

/// <summary>When the event writer sends a keep-alive comment: only once the stream has been silent for the time given.</summary>
public sealed class ServerSentEventsTests
{
    [Fact]
    public async Task A_keep_alive_goes_out_only_after_the_given_silence()
    {
        var context = new DefaultHttpContext();
        var body = new MemoryStream();
        context.Response.Body = body;
        var events = new ServerSentEvents(context.Response);
        events.Start();

        await events.WriteAsync(new { text = "hi" }, CancellationToken.None);
        var afterEvent = body.Length;
        await events.KeepAliveAsync(TimeSpan.FromSeconds(8), CancellationToken.None);
        Assert.Equal(afterEvent, body.Length);

        await events.KeepAliveAsync(TimeSpan.Zero, CancellationToken.None);
        Assert.EndsWith(": keep-alive\n\n", System.Text.Encoding.UTF8.GetString(body.ToArray()), StringComparison.Ordinal);
    }
}

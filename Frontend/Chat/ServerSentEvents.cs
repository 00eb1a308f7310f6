using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;

namespace OrleansSlm.Frontend.Chat;

/// <summary>Writes <c>data: …</c> events straight to the socket: no response buffering here or in proxies.</summary>
public sealed class ServerSentEvents(HttpResponse response)
{
    private static readonly byte[] Done = "data: [DONE]\n\n"u8.ToArray();

    /// <summary>An SSE comment: clients skip it, and proxies that cut idle connections see traffic.</summary>
    private static readonly byte[] KeepAlive = ": keep-alive\n\n"u8.ToArray();

    private long _lastWrite = Stopwatch.GetTimestamp();

    public void Start()
    {
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        response.HttpContext.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
    }

    public async Task WriteAsync<T>(T value, CancellationToken cancellationToken)
    {
        var payload = new StringBuilder("data: ").Append(JsonSerializer.Serialize(value)).Append("\n\n").ToString();
        await WriteRawAsync(Encoding.UTF8.GetBytes(payload), cancellationToken);
    }

    public Task WriteDoneAsync(CancellationToken cancellationToken) => WriteRawAsync(Done, cancellationToken);

    /// <summary>Writes a keep-alive comment when nothing was written for <paramref name="idle"/>.</summary>
    public Task KeepAliveAsync(TimeSpan idle, CancellationToken cancellationToken) =>
        Stopwatch.GetElapsedTime(_lastWrite) >= idle ? WriteRawAsync(KeepAlive, cancellationToken) : Task.CompletedTask;

    private async Task WriteRawAsync(byte[] bytes, CancellationToken cancellationToken)
    {
        await response.Body.WriteAsync(bytes, cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
        _lastWrite = Stopwatch.GetTimestamp();
    }
}

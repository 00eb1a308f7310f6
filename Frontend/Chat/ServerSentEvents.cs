using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;

namespace OrleansSlm.Frontend.Chat;

/// <summary>Writes <c>data: …</c> events straight to the socket: no response buffering here or in proxies.</summary>
public sealed class ServerSentEvents(HttpResponse response)
{
    private static readonly byte[] Done = "data: [DONE]\n\n"u8.ToArray();

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
        await response.Body.WriteAsync(Encoding.UTF8.GetBytes(payload), cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
    }

    public async Task WriteDoneAsync(CancellationToken cancellationToken)
    {
        await response.Body.WriteAsync(Done, cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
    }
}

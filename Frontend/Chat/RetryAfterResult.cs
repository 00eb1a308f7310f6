namespace OrleansSlm.Frontend.Chat;

/// <summary>An answer with a <c>Retry-After</c> header when the caller should come back later.</summary>
public sealed class RetryAfterResult(IResult inner, int retryAfterSeconds) : IResult
{
    public Task ExecuteAsync(HttpContext httpContext)
    {
        if (retryAfterSeconds > 0)
        {
            httpContext.Response.Headers.RetryAfter = retryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return inner.ExecuteAsync(httpContext);
    }
}

namespace OrleansSlm.Frontend.OpenAi;

/// <summary>
/// Errors that routing answers without a body (no such route, a method the route does not take) get OpenAI's shape
/// too, as OpenAI answers an invalid URL, so a client's error handling sees one format for every 4xx.
/// </summary>
public static class BodilessErrorPages
{
    public static WebApplication UseOpenAiErrorPages(this WebApplication app)
    {
        app.UseStatusCodePages(context => ApiErrors.Error(context.HttpContext.Response.StatusCode, Message(context.HttpContext), "invalid_request_error")
            .ExecuteAsync(context.HttpContext));
        return app;
    }

    private static string Message(HttpContext context) => context.Response.StatusCode switch
    {
        StatusCodes.Status404NotFound => $"Invalid URL ({context.Request.Method} {context.Request.Path}).",
        StatusCodes.Status405MethodNotAllowed => $"{context.Request.Method} is not allowed on {context.Request.Path}.",
        StatusCodes.Status415UnsupportedMediaType => "The request's Content-Type is not supported here.",
        var status => $"The request failed with status {status}.",
    };
}

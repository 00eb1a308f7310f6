using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;

namespace OrleansSlm.Frontend.OpenAi;

/// <summary>Turns an exception that escaped an endpoint into a 500 in the OpenAI shape, and logs it.</summary>
internal sealed class UnexpectedErrorHandler(ILogger<UnexpectedErrorHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        logger.LogError(exception, "Unhandled error on {Method} {Path}", httpContext.Request.Method, httpContext.Request.Path);
        var result = (JsonHttpResult<OpenAiError>)ApiErrors.Error(
            StatusCodes.Status500InternalServerError, "The server failed to process the request.", "server_error");
        await result.ExecuteAsync(httpContext);
        return true;
    }
}

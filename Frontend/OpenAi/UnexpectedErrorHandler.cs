using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;

namespace OrleansSlm.Frontend.OpenAi;

/// <summary>Turns an exception that escaped an endpoint into an answer in the OpenAI shape: the client's fault as its 4xx, anything else as a logged 500.</summary>
internal sealed class UnexpectedErrorHandler(ILogger<UnexpectedErrorHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is BadHttpRequestException badRequest)
        {
            var code = badRequest.StatusCode == StatusCodes.Status413PayloadTooLarge ? "request_too_large" : null;
            await ApiErrors.Error(badRequest.StatusCode, badRequest.Message, "invalid_request_error", code: code).ExecuteAsync(httpContext);
            return true;
        }

        logger.LogError(exception, "Unhandled error on {Method} {Path}", httpContext.Request.Method, httpContext.Request.Path);
        var result = (JsonHttpResult<OpenAiError>)ApiErrors.Error(
            StatusCodes.Status500InternalServerError, "The server failed to process the request.", "server_error");
        await result.ExecuteAsync(httpContext);
        return true;
    }
}

namespace OrleansSlm.Frontend.Chat;

/// <summary>
/// The one place inference failures become HTTP answers: a rejection or an unreachable cluster thrown by an endpoint
/// is answered with its OpenAI-shaped status. A stream that already started reports its failure as an event instead
/// (<see cref="ChatEndpoints"/>); anything else goes on to the error handler as a real fault.
/// </summary>
internal sealed class InferenceErrorFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (Exception exception) when (!context.HttpContext.Response.HasStarted
            && InferenceErrors.TryTranslate(exception, out var status, out var detail, out var retryAfter))
        {
            return InferenceErrors.ToResult(detail, status, retryAfter);
        }
    }
}

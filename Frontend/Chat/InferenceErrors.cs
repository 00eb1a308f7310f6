using OrleansSlm.Frontend.OpenAi;
using OrleansSlm.GrainsInterfaces.Inference;

namespace OrleansSlm.Frontend.Chat;

/// <summary>Turns what can go wrong between the frontend and an inference silo into OpenAI-shaped answers.</summary>
public static class InferenceErrors
{
    public static bool TryTranslate(Exception exception, out int status, out OpenAiErrorDetail error, out int retryAfterSeconds)
    {
        retryAfterSeconds = 0;
        switch (exception)
        {
            case InferenceRejectedException { Reason: InferenceRejection.Overloaded } rejected:
                (status, retryAfterSeconds) = (StatusCodes.Status503ServiceUnavailable, Math.Max(1, rejected.RetryAfterSeconds));
                error = new OpenAiErrorDetail(rejected.Message, "server_error", null, "engine_overloaded");
                return true;
            case InferenceRejectedException { Reason: InferenceRejection.ContextLengthExceeded } rejected:
                status = StatusCodes.Status400BadRequest;
                error = new OpenAiErrorDetail(rejected.Message, "invalid_request_error", rejected.Param, "context_length_exceeded");
                return true;
            case InferenceRejectedException { Reason: InferenceRejection.ModelNotFound } rejected:
                status = StatusCodes.Status404NotFound;
                error = new OpenAiErrorDetail(rejected.Message, "invalid_request_error", "model", "model_not_found");
                return true;
            case InferenceRejectedException { Reason: InferenceRejection.InvalidRequest } rejected:
                status = StatusCodes.Status400BadRequest;
                error = new OpenAiErrorDetail(rejected.Message, "invalid_request_error", rejected.Param, null);
                return true;
            case InferenceRejectedException { Reason: InferenceRejection.Failed } rejected:
                status = StatusCodes.Status500InternalServerError;
                error = new OpenAiErrorDetail(rejected.Message, "server_error", null, "generation_failed");
                return true;
            case InferenceRejectedException rejected:
                (status, retryAfterSeconds) = (StatusCodes.Status503ServiceUnavailable, Math.Max(1, rejected.RetryAfterSeconds));
                error = new OpenAiErrorDetail(rejected.Message, "server_error", null, "inference_unavailable");
                return true;
            case OrleansException or TimeoutException or EnumerationAbortedException:
                (status, retryAfterSeconds) = (StatusCodes.Status503ServiceUnavailable, 1);
                error = new OpenAiErrorDetail($"No inference silo could complete the request: {exception.Message}", "server_error", null, "inference_unavailable");
                return true;
            default:
                status = 0;
                error = null!;
                return false;
        }
    }

    public static IResult ToResult(OpenAiErrorDetail error, int status, int retryAfterSeconds) =>
        new RetryAfterResult(ApiErrors.Error(status, error.Message, error.Type, error.Param, error.Code), retryAfterSeconds);
}

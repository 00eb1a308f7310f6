namespace OrleansSlm.Frontend.OpenAi;

/// <summary>Error answers in the OpenAI shape, one factory per kind of failure.</summary>
public static class ApiErrors
{
    public static IResult InvalidRequest(string message, string? param = null, string? code = null) =>
        Error(StatusCodes.Status400BadRequest, message, "invalid_request_error", param, code);

    public static IResult NotFound(string message, string? param = null, string code = "not_found") =>
        Error(StatusCodes.Status404NotFound, message, "invalid_request_error", param, code);

    public static IResult Conflict(string message, string? param = null, string code = "conflict") =>
        Error(StatusCodes.Status409Conflict, message, "invalid_request_error", param, code);

    public static IResult Error(int status, string message, string type, string? param = null, string? code = null) =>
        TypedResults.Json(new OpenAiError(new OpenAiErrorDetail(message, type, param, code)), statusCode: status);
}

using System.Text.Json;

namespace OrleansSlm.Frontend.OpenAi;

/// <summary>
/// Reads a JSON request body by hand so that malformed JSON and wrong types get an OpenAI-style 400 naming
/// the offending field, rather than the framework's problem details.
/// </summary>
public static class JsonBody
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    public static async Task<(T? Value, IResult? Error)> ReadAsync<T>(HttpRequest request, CancellationToken cancellationToken)
        where T : class
    {
        if (request.ContentType is { } contentType && !contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return (null, ApiErrors.InvalidRequest($"Content-Type must be application/json, not '{contentType}'."));
        }

        try
        {
            var value = await JsonSerializer.DeserializeAsync<T>(request.Body, Options, cancellationToken);
            return value is null
                ? (null, ApiErrors.InvalidRequest("The request body must be a JSON object."))
                : (value, null);
        }
        catch (JsonException exception)
        {
            var param = exception.Path is { Length: > 2 } path ? path.TrimStart('$', '.') : null;
            return (null, ApiErrors.InvalidRequest($"The request body is not valid JSON for this endpoint: {exception.Message}", param));
        }
    }
}

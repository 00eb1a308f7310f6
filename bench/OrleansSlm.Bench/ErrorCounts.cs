using System.Text.Json.Serialization;

namespace OrleansSlm.Bench;

/// <summary>Failed requests by <see cref="RequestError"/>.</summary>
internal sealed record ErrorCounts(
    [property: JsonPropertyName("http_429")] int TooManyRequests,
    [property: JsonPropertyName("http_503")] int ServiceUnavailable,
    int OtherStatus,
    int StreamFailed)
{
    public int Total => TooManyRequests + ServiceUnavailable + OtherStatus + StreamFailed;

    public static ErrorCounts Of(IReadOnlyCollection<RequestOutcome> outcomes)
    {
        int Count(RequestError error) => outcomes.Count(outcome => outcome.Error == error);
        return new ErrorCounts(Count(RequestError.TooManyRequests), Count(RequestError.ServiceUnavailable), Count(RequestError.OtherStatus), Count(RequestError.StreamFailed));
    }

    public override string ToString() =>
        $"429: {TooManyRequests}, 503: {ServiceUnavailable}, other status: {OtherStatus}, stream failed: {StreamFailed}";
}

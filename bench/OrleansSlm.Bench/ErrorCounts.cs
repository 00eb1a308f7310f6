using System.Text.Json.Serialization;

namespace OrleansSlm.Bench;

/// <summary>Failed requests by <see cref="RequestError"/>.</summary>
internal sealed record ErrorCounts(
    [property: JsonPropertyName("overloaded_429")] int Overloaded429,
    [property: JsonPropertyName("unavailable_503")] int Unavailable503,
    int OtherStatus,
    int StreamFailed)
{
    public int Total => Overloaded429 + Unavailable503 + OtherStatus + StreamFailed;

    public static ErrorCounts Of(IReadOnlyCollection<RequestOutcome> outcomes)
    {
        int Count(RequestError error) => outcomes.Count(outcome => outcome.Error == error);
        return new ErrorCounts(Count(RequestError.Overloaded), Count(RequestError.Unavailable), Count(RequestError.OtherStatus), Count(RequestError.StreamFailed));
    }

    public override string ToString() =>
        $"429: {Overloaded429}, 503: {Unavailable503}, other status: {OtherStatus}, stream failed: {StreamFailed}";
}

namespace OrleansSlm.Bench;

/// <summary>
/// What one request measured, from the client's side: time to the first visible text, the gaps between later
/// pieces of text, the whole request's latency, and the token counts (the server's <c>usage</c> where it gives one).
/// </summary>
internal sealed record RequestOutcome(
    double LatencyMs,
    double? TimeToFirstTokenMs,
    IReadOnlyList<double> InterTokenMs,
    int CompletionTokens,
    int? PromptTokens,
    RequestError? Error,
    string? ErrorDetail)
{
    public bool Succeeded => Error is null;
}

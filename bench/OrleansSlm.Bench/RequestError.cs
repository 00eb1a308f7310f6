namespace OrleansSlm.Bench;

/// <summary>Why a request produced no complete result, in the HTTP statuses the service answers with.</summary>
internal enum RequestError
{
    /// <summary>HTTP 429: the frontend's rate limiter turned the request away.</summary>
    TooManyRequests,

    /// <summary>
    /// HTTP 503: the engine's waiting queue was full (<c>engine_overloaded</c>) or no silo could serve the request.
    /// The engine mode counts the scheduler's <c>EngineOverloadedException</c> here, as the frontend answers it with 503.
    /// </summary>
    ServiceUnavailable,

    /// <summary>Any other non-success HTTP status.</summary>
    OtherStatus,

    /// <summary>The connection or the stream broke, timed out, carried an error event, or ended without <c>[DONE]</c>.</summary>
    StreamFailed,
}

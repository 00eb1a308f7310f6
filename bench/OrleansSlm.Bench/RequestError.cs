namespace OrleansSlm.Bench;

/// <summary>Why a request produced no complete result; the engine's full queue counts as the 429 the server answers for it.</summary>
internal enum RequestError
{
    /// <summary>HTTP 429, or the engine's <c>EngineOverloadedException</c>: the queue or a rate limit turned it away.</summary>
    Overloaded,

    /// <summary>HTTP 503: no model or no silo to serve it.</summary>
    Unavailable,

    /// <summary>Any other non-success HTTP status.</summary>
    OtherStatus,

    /// <summary>The connection or the stream broke, timed out, carried an error, or ended without <c>[DONE]</c>.</summary>
    StreamFailed,
}

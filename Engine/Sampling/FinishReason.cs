namespace OrleansSlm.Engine.Sampling;

public enum FinishReason
{
    /// <summary>An end-of-sequence token or a stop string ended the output.</summary>
    Stop,

    /// <summary>The token limit ended the output.</summary>
    Length,

    /// <summary>The caller cancelled the request.</summary>
    Cancelled,

    /// <summary>The request failed: its model run, or sampling or emitting its next token, threw.</summary>
    Error,
}

public static class FinishReasonNames
{
    /// <summary>The one name of each reason, as OpenAI's <c>finish_reason</c> and the metrics' label write it.</summary>
    public static string WireName(this FinishReason reason) => reason switch
    {
        FinishReason.Stop => "stop",
        FinishReason.Length => "length",
        FinishReason.Cancelled => "cancelled",
        FinishReason.Error => "error",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, null),
    };
}

namespace OrleansSlm.Infrastructure.Sampling;

public enum FinishReason
{
    /// <summary>An end-of-sequence token or a stop string ended the output.</summary>
    Stop,

    /// <summary>The token limit ended the output.</summary>
    Length,

    /// <summary>The caller cancelled the request.</summary>
    Cancelled,
}

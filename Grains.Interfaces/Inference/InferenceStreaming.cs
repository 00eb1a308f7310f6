namespace OrleansSlm.GrainsInterfaces.Inference;

/// <summary>The timing both ends of <see cref="IInferenceGrain.StreamAsync"/> rely on.</summary>
public static class InferenceStreaming
{
    /// <summary>A stream that has nothing to say for this long sends an empty chunk, so its caller can tell a busy silo from a dead one.</summary>
    public static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Keep-alives a caller should miss before it takes a silo for dead: fewer, and one late keep-alive on a busy
    /// machine (a garbage collection, a long prefill chunk) would fail a healthy stream.
    /// </summary>
    public const int KeepAlivesBeforeStall = 3;

    /// <summary>The shortest stall timeout a caller may use.</summary>
    public static TimeSpan MinimumStallTimeout => KeepAlive * KeepAlivesBeforeStall;
}

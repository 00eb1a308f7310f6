using System.Runtime.Intrinsics;

namespace OrleansSlm.Engine.Configuration;

/// <summary>The <c>Model</c> configuration section: which model a silo serves and how.</summary>
public sealed class ModelOptions
{
    public const string SectionName = "Model";

    public const string DefaultId = "HuggingFaceTB/SmolLM2-135M-Instruct";

    /// <summary>A local directory, a Hugging Face repository id (optionally <c>id@revision</c>), or a synthetic id such as <c>synthetic-tiny</c>.</summary>
    public string Id { get; set; } = DefaultId;

    public ModelPrecision Precision { get; set; } = ModelPrecision.Fp32;

    /// <summary>Where downloaded and built models are kept; a directory under the user's cache when empty.</summary>
    public string? CacheDir { get; set; }

    /// <summary>A base URL holding the same layout as the Hugging Face repository (an S3 bucket or any static HTTP server).</summary>
    public string? MirrorUrl { get; set; }

    /// <summary>
    /// A Hugging Face access token for gated repositories (Gemma's, for example); <c>HF_TOKEN</c> from the environment
    /// when unset, as Hugging Face's own tools read it. Sent to the hub only, never to a mirror or a redirect target.
    /// </summary>
    public string? HuggingFaceToken { get; set; }

    public ModelDevice Device { get; set; } = ModelDevice.Cpu;

    /// <summary>The attention operator of built graphs; <see cref="AttentionKernel.Auto"/> picks by <see cref="Device"/>.</summary>
    public AttentionKernel Attention { get; set; } = AttentionKernel.Auto;

    /// <summary>ONNX Runtime intra-op threads; 0 uses one per processor core.</summary>
    public int Threads { get; set; }

    /// <summary>Longest sequence (prompt plus generated tokens) a KV cache slot holds.</summary>
    public int MaxContext { get; set; } = 2048;

    /// <summary>KV cache slots, i.e. sequences decoded together in one step.</summary>
    public int MaxBatch { get; set; } = 16;

    /// <summary>Requests that may wait for a free slot; one more is turned away at once (HTTP 503 <c>engine_overloaded</c>).</summary>
    public int MaxQueue { get; set; } = 64;

    /// <summary>Prompt tokens prefilled per scheduler step, so a long prompt delays the running streams by one chunk at most.</summary>
    public int PrefillChunk { get; set; } = 128;

    /// <summary>How long a stopping silo lets running requests finish before it stops its model.</summary>
    public int DrainSeconds { get; set; } = 30;

    /// <summary>
    /// The attention operator to build graphs with: the project's kernel on CPUs with 256-bit vectors (x86-64 with
    /// AVX2 and later, which it is written for), ONNX Runtime's on CUDA and on other CPUs (Arm64).
    /// </summary>
    public AttentionKernel ResolveAttention() => (Attention, Device) switch
    {
        (AttentionKernel.Slot, ModelDevice.Cuda) => throw new InvalidOperationException(
            "Model:Attention 'Slot' is a CPU kernel; on Model:Device 'cuda' use 'GroupQuery' or 'Auto'."),
        (AttentionKernel.Auto, ModelDevice.Cuda) => AttentionKernel.GroupQuery,
        (AttentionKernel.Auto, _) => Vector256.IsHardwareAccelerated ? AttentionKernel.Slot : AttentionKernel.GroupQuery,
        _ => Attention,
    };

    /// <summary><see cref="HuggingFaceToken"/>, else <c>HF_TOKEN</c>; null when neither is set.</summary>
    public string? ResolveHuggingFaceToken() =>
        !string.IsNullOrWhiteSpace(HuggingFaceToken) ? HuggingFaceToken.Trim()
        : Environment.GetEnvironmentVariable("HF_TOKEN") is { } fromEnvironment && !string.IsNullOrWhiteSpace(fromEnvironment) ? fromEnvironment.Trim()
        : null;

    public string ResolveCacheDirectory()
    {
        if (!string.IsNullOrWhiteSpace(CacheDir))
        {
            return Path.GetFullPath(CacheDir);
        }

        var xdgCache = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        var cacheRoot = string.IsNullOrWhiteSpace(xdgCache)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache")
            : xdgCache;
        return Path.Combine(cacheRoot, "orleans-slm", "models");
    }
}

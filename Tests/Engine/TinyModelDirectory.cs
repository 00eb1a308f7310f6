using Microsoft.Extensions.Logging.Abstractions;
using OrleansSlm.Engine.Configuration;
using OrleansSlm.Engine.Decoding;

namespace OrleansSlm.Tests.Engine;

/// <summary>synthetic-tiny loaded the way a silo loads it, from a cache directory private to this test run.</summary>
public static class TinyModelDirectory
{
    public static readonly string CacheDirectory = Path.Combine(Path.GetTempPath(), $"orleansslm-tests-{Environment.ProcessId}");

    public static Task<LoadedModel> LoadAsync(ModelPrecision precision = ModelPrecision.Fp32, int maxBatch = 2) =>
        new ModelLoader(Options(precision, maxBatch), NullLogger.Instance).LoadAsync(CancellationToken.None);

    public static ModelOptions Options(ModelPrecision precision = ModelPrecision.Fp32, int maxBatch = 2) =>
        new() { Id = "synthetic-tiny", Precision = precision, CacheDir = CacheDirectory, Threads = 1, MaxBatch = maxBatch, MaxContext = 256 };
}

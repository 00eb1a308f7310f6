using OrleansSlm.Tests.Engine;

namespace OrleansSlm.Tests.Support;

/// <summary>The model every silo in the tests serves: synthetic-tiny, built once into this test run's cache.</summary>
public static class TestModel
{
    public const string Id = "synthetic-tiny";

    public static IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>
    {
        ["Model:Id"] = Id,
        ["Model:CacheDir"] = TinyModelDirectory.CacheDirectory,
        ["Model:Threads"] = "1",
        ["Model:MaxBatch"] = "4",
        ["Model:MaxContext"] = "256",
    };

    /// <summary>The same settings as environment variables, for silo processes.</summary>
    public static IReadOnlyDictionary<string, string> Environment { get; } =
        Settings.ToDictionary(setting => setting.Key.Replace(":", "__", StringComparison.Ordinal), setting => setting.Value!);
}

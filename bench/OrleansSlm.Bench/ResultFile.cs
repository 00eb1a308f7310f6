using System.Text.Json;

namespace OrleansSlm.Bench;

/// <summary>The <c>--json</c> files: snake_case, indented, read back by the <c>ratio</c> mode.</summary>
internal static class ResultFile
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
    };

    public static async Task WriteAsync<T>(string? path, T result)
    {
        if (path is null)
        {
            return;
        }

        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(result, Options) + "\n");
        await Console.Error.WriteLineAsync($"wrote {Path.GetFullPath(path)}");
    }

    /// <summary>The run of an <c>http</c> or <c>engine</c> file, or the HTTP run of a <c>compare</c> file (to set two stacks side by side).</summary>
    public static async Task<LoadResult> ReadAsync(string path)
    {
        var json = await File.ReadAllTextAsync(path);
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var run = root.TryGetProperty("run", out _) ? root
            : root.TryGetProperty("http", out var http) ? http
            : throw new ArgumentException($"{path} holds no run: neither \"run\" (http, engine) nor \"http\" (compare).");
        return run.Deserialize<LoadResult>(Options) ?? throw new ArgumentException($"{path} holds an empty run.");
    }
}

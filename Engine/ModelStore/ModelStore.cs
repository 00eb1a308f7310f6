using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using OrleansSlm.Engine.Configuration;
using OrleansSlm.Engine.Models;

namespace OrleansSlm.Engine.ModelStore;

/// <summary>
/// Resolves <c>Model:Id</c> to a local directory holding the model's files: a local directory as it is, or a
/// Hugging Face repository (or a mirror of one) downloaded once into <c>Model:CacheDir</c> and reused without
/// network from then on. Downloads resume from <c>.partial</c> files and are checked against SHA-256 sums.
/// Synthetic ids are the engine's to build, not the store's.
/// </summary>
public sealed class ModelStore(ModelOptions options, HttpClient http, ILogger<ModelStore> logger, Uri? hubEndpoint = null)
{
    public static readonly Uri DefaultHubEndpoint = new("https://huggingface.co");

    /// <summary>How long to wait for a server to answer before calling it unreachable: start-up must fail in seconds when offline.</summary>
    public static readonly TimeSpan ResponseTimeout = TimeSpan.FromSeconds(10);

    private const string CompleteMarker = ".complete";

    private readonly string? _token = options.ResolveHuggingFaceToken();
    private const int MaxRedirects = 5;

    public async Task<string> ResolveAsync(string modelId, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(modelId))
        {
            throw new ModelStoreException("Model:Id is empty: set it to a local directory, a Hugging Face repository id, or a synthetic id such as synthetic-tiny.");
        }

        if (modelId.StartsWith("synthetic-", StringComparison.Ordinal))
        {
            throw new ModelStoreException($"'{modelId}' is a synthetic model: the engine builds it itself; the model store resolves only local directories, Hugging Face ids and mirrors.");
        }

        if (Directory.Exists(modelId))
        {
            return ResolveLocalDirectory(modelId);
        }

        var source = ModelSource.Parse(modelId, hubEndpoint ?? DefaultHubEndpoint, options.MirrorUrl);
        var directory = Path.Combine(options.ResolveCacheDirectory(), source.CacheName);
        if (File.Exists(Path.Combine(directory, CompleteMarker)))
        {
            logger.LogInformation("Model {ModelId} found in the cache at {Directory}", modelId, directory);
            return directory;
        }

        Directory.CreateDirectory(directory);
        logger.LogInformation("Downloading model {ModelId} from {Url} into {Directory}", modelId, source.UrlOf(string.Empty), directory);
        await DownloadAsync(source, directory, ct);
        await File.WriteAllTextAsync(Path.Combine(directory, CompleteMarker), DateTimeOffset.UtcNow.ToString("O"), ct);
        return directory;
    }

    private static string ResolveLocalDirectory(string modelId)
    {
        var directory = Path.GetFullPath(modelId);
        if (!File.Exists(Path.Combine(directory, "config.json")))
        {
            throw new ModelStoreException($"The local model directory '{directory}' has no config.json; it needs the Hugging Face layout (config.json, tokenizer files, onnx/ or safetensors weights).");
        }

        return directory;
    }

    private async Task DownloadAsync(ModelSource source, string directory, CancellationToken ct)
    {
        var manifest = source.HasManifest ? await FetchManifestAsync(source, ct) : null;
        foreach (var file in ModelFilePlan.Configuration)
        {
            await FetchAsync(source, directory, file.Path, file.Optional, manifest, ct);
        }

        var hasByteLevelBpe = File.Exists(Path.Combine(directory, "vocab.json")) && File.Exists(Path.Combine(directory, "merges.txt"));
        if (!hasByteLevelBpe && !File.Exists(Path.Combine(directory, "tokenizer.model")) && !File.Exists(Path.Combine(directory, "tokenizer.json")))
        {
            throw new ModelStoreException($"Model '{source.ModelId}' at {source.UrlOf(string.Empty)} has no tokenizer this engine reads: none of vocab.json + merges.txt, tokenizer.model or tokenizer.json.");
        }

        await FetchWeightsAsync(source, directory, manifest, ct);
    }

    /// <summary>
    /// A checkpoint the builder reads (Llama family, Gemma 3) is preferred to an ONNX export: the builder turns it into a
    /// graph that batches requests of different lengths in one step (an export runs them one by one), and the
    /// safetensors file is the smaller download. Other families come from their export.
    /// </summary>
    private async Task FetchWeightsAsync(ModelSource source, string directory, ModelManifest? manifest, CancellationToken ct)
    {
        var candidates = ModelFilePlan.OnnxCandidates(options.Precision);
        using var config = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(directory, "config.json"), ct));
        var buildable = ModelDescription.IsBuildableType(
            config.RootElement.TryGetProperty("model_type", out var modelType) && modelType.ValueKind == JsonValueKind.String ? modelType.GetString() : ModelDescription.DefaultModelType);
        if ((buildable && await TryCheckpointAsync(source, directory, manifest, ct))
            || await TryOnnxAsync(source, directory, candidates, manifest, ct)
            || (!buildable && await TryCheckpointAsync(source, directory, manifest, ct)))
        {
            return;
        }

        throw new ModelStoreException(
            $"Model '{source.ModelId}' has no weights for Model:Precision {options.Precision}: tried {string.Join(", ", candidates)}, {ModelFilePlan.SafetensorsFile} and {ModelFilePlan.SafetensorsIndexFile} at {source.UrlOf(string.Empty)}.");
    }

    private async Task<bool> TryOnnxAsync(ModelSource source, string directory, IReadOnlyList<string> candidates, ModelManifest? manifest, CancellationToken ct)
    {
        foreach (var onnx in candidates)
        {
            if (await FetchAsync(source, directory, onnx, optional: true, manifest, ct))
            {
                await FetchAsync(source, directory, onnx + "_data", optional: true, manifest, ct);
                return true;
            }
        }

        return false;
    }

    private async Task<bool> TryCheckpointAsync(ModelSource source, string directory, ModelManifest? manifest, CancellationToken ct)
    {
        if (await FetchAsync(source, directory, ModelFilePlan.SafetensorsFile, optional: true, manifest, ct))
        {
            return true;
        }

        if (!await FetchAsync(source, directory, ModelFilePlan.SafetensorsIndexFile, optional: true, manifest, ct))
        {
            return false;
        }

        using var index = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(directory, ModelFilePlan.SafetensorsIndexFile), ct));
        var shards = index.RootElement.GetProperty("weight_map").EnumerateObject().Select(entry => entry.Value.GetString()!).Distinct(StringComparer.Ordinal);
        foreach (var shard in shards)
        {
            await FetchAsync(source, directory, shard, optional: false, manifest, ct);
        }

        return true;
    }

    /// <summary>
    /// Where a file named by the repository (a shard in the index's <c>weight_map</c>, for example) goes: always inside
    /// the model's cache directory. A name with <c>..</c> or a root is refused before anything is fetched or written.
    /// </summary>
    private static string InsideDirectory(ModelSource source, string directory, string file)
    {
        var root = Path.GetFullPath(directory) + Path.DirectorySeparatorChar;
        var target = Path.GetFullPath(Path.Combine(root, file));
        return !Path.IsPathRooted(file) && file.Split('/', '\\').All(segment => segment is not ("" or "." or "..")) && target.StartsWith(root, StringComparison.Ordinal)
            ? target
            : throw new ModelStoreException(
                $"Model '{source.ModelId}' names the file '{file}', which is outside the model's directory; the repository's index is not usable.");
    }

    private async Task<ModelManifest?> FetchManifestAsync(ModelSource source, CancellationToken ct)
    {
        var url = source.UrlOf(ModelManifest.FileName);
        var (response, _) = await SendAsync(source, url, 0, ct);
        using (response)
        {
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                logger.LogWarning("The mirror has no {Manifest} at {Url}: downloaded files cannot be checked against SHA-256 sums", ModelManifest.FileName, url);
                return null;
            }

            EnsureSuccess(source, url, response);
            return ModelManifest.Parse(await response.Content.ReadAsStringAsync(ct), url);
        }
    }

    /// <summary>Downloads one file into the cache directory; false when an optional file is absent (404).</summary>
    private async Task<bool> FetchAsync(ModelSource source, string directory, string file, bool optional, ModelManifest? manifest, CancellationToken ct)
    {
        var target = InsideDirectory(source, directory, file);
        if (File.Exists(target))
        {
            return true;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var partial = target + ".partial";
        var resumeFrom = File.Exists(partial) ? new FileInfo(partial).Length : 0;
        var url = source.UrlOf(file);
        var (response, headerSha256) = await SendAsync(source, url, resumeFrom, ct);
        using (response)
        {
            if (response.StatusCode == HttpStatusCode.NotFound && optional)
            {
                return false;
            }

            if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
            {
                // The partial file is not a prefix the server can continue: start the file again.
                File.Delete(partial);
                return await FetchAsync(source, directory, file, optional, manifest, ct);
            }

            EnsureSuccess(source, url, response);
            var resumed = response.StatusCode == HttpStatusCode.PartialContent;
            if (resumed)
            {
                logger.LogInformation("Resuming {File} from byte {Offset}", file, resumeFrom);
            }

            await CopyToPartialAsync(response, partial, file, resumed ? resumeFrom : 0, ct);
        }

        await VerifyAsync(source, file, partial, manifest?.Sha256Of(file) ?? headerSha256, ct);
        File.Move(partial, target, overwrite: true);
        return true;
    }

    private async Task CopyToPartialAsync(HttpResponseMessage response, string partial, string file, long offset, CancellationToken ct)
    {
        var progress = new ConsoleProgress(logger, file, response.Content.Headers.ContentLength + offset);
        await using var output = new FileStream(partial, offset > 0 ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
        await using var input = await response.Content.ReadAsStreamAsync(ct);
        var buffer = new byte[1 << 16];
        var written = offset;
        int read;
        while ((read = await input.ReadAsync(buffer, ct)) > 0)
        {
            await output.WriteAsync(buffer.AsMemory(0, read), ct);
            written += read;
            progress.Report(written);
        }
    }

    private async Task VerifyAsync(ModelSource source, string file, string partial, string? expectedSha256, CancellationToken ct)
    {
        if (expectedSha256 is null)
        {
            logger.LogWarning("No SHA-256 sum is published for {File} of {ModelId}: kept unchecked", file, source.ModelId);
            return;
        }

        string actual;
        await using (var stream = File.OpenRead(partial))
        {
            actual = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, ct));
        }

        if (actual != expectedSha256)
        {
            File.Delete(partial);
            throw new ModelStoreException(
                $"The download of {file} for model '{source.ModelId}' from {source.UrlOf(file)} is corrupt: SHA-256 {actual}, expected {expectedSha256}. The file was discarded; start again to download it anew.");
        }
    }

    /// <summary>
    /// GETs a URL (from <paramref name="from"/> on, when resuming), following redirects by hand: the hub publishes an
    /// LFS file's SHA-256 in the first response (<c>X-Linked-Etag</c>), not in the storage server's it redirects to.
    /// </summary>
    private async Task<(HttpResponseMessage Response, string? Sha256)> SendAsync(ModelSource source, Uri url, long from, CancellationToken ct)
    {
        string? sha256 = null;
        var current = url;
        for (var hop = 0; ; hop++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, current);
            // Only the hub sees the token: a redirect to a storage server carries its own signed URL.
            if (_token is not null && source.IsOnHub(current))
            {
                request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", _token);
            }

            if (from > 0)
            {
                request.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(from, null);
            }

            HttpResponseMessage response;
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct))
            {
                timeout.CancelAfter(ResponseTimeout);
                try
                {
                    response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
                }
                catch (Exception e) when (e is HttpRequestException || (e is OperationCanceledException && !ct.IsCancellationRequested))
                {
                    throw Unreachable(source, current, e.Message, e);
                }
            }

            sha256 ??= Sha256FromHeaders(response);
            var isRedirect = (int)response.StatusCode is >= 300 and < 400 && response.Headers.Location is not null;
            if (!isRedirect || hop == MaxRedirects)
            {
                return (response, sha256);
            }

            current = new Uri(current, response.Headers.Location!);
            response.Dispose();
        }
    }

    private ModelStoreException Unreachable(ModelSource source, Uri url, string reason, Exception? inner = null) =>
        new($"Model '{source.ModelId}' is not in the cache ({Path.Combine(options.ResolveCacheDirectory(), source.CacheName)}) and could not be downloaded from {url}: {reason}. " +
            "Either set Model:Id to a local directory holding the model's files (config.json, tokenizer files, onnx/ or safetensors weights), " +
            "or serve a synthetic model that needs no download, such as Model:Id=synthetic-tiny.", inner);

    private void EnsureSuccess(ModelSource source, Uri url, HttpResponseMessage response)
    {
        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden && source.RepositoryPage is { } page)
        {
            throw new ModelStoreException(_token is null
                ? $"Model '{source.ModelId}' is gated on Hugging Face (the hub answered {(int)response.StatusCode} to {url} without a token): " +
                  $"accept its terms at {page} with your account, create a read token at https://huggingface.co/settings/tokens, and set it as HF_TOKEN or Model:HuggingFaceToken."
                : $"Model '{source.ModelId}' is gated on Hugging Face and the hub refused the token set in HF_TOKEN or Model:HuggingFaceToken " +
                  $"(it answered {(int)response.StatusCode} to {url}): check that the token is valid and that its account was granted access at {page}.");
        }

        if (!response.IsSuccessStatusCode)
        {
            throw Unreachable(source, url, $"the server answered {(int)response.StatusCode} {response.ReasonPhrase}");
        }
    }

    /// <summary>The hub's <c>X-Linked-Etag</c> (LFS files) or an <c>ETag</c> that is a SHA-256; a git blob's SHA-1 ETag is not one.</summary>
    private static string? Sha256FromHeaders(HttpResponseMessage response)
    {
        var values = response.Headers.TryGetValues("X-Linked-Etag", out var linked) ? linked
            : response.Headers.ETag is { } etag ? [etag.Tag]
            : [];
        var value = values.FirstOrDefault()?.Replace("W/", string.Empty, StringComparison.Ordinal).Trim('"').ToLowerInvariant();
        return value is { Length: 64 } && value.All(char.IsAsciiHexDigitLower) ? value : null;
    }
}

namespace OrleansSlm.Engine.ModelStore;

/// <summary>
/// Where a model's files come from: a Hugging Face repository at a revision (<see cref="Hub"/> is the hub's endpoint,
/// the one server an access token goes to), or a mirror base URL (no hub, and a manifest of checksums).
/// </summary>
internal sealed record ModelSource(string ModelId, string CacheName, Func<string, Uri> UrlOf, bool HasManifest, Uri? Hub = null)
{
    public static ModelSource Parse(string modelId, Uri hubEndpoint, string? mirrorUrl)
    {
        var at = modelId.LastIndexOf('@');
        var repository = at < 0 ? modelId : modelId[..at];
        var revision = at < 0 ? "main" : modelId[(at + 1)..];
        var parts = repository.Split('/');
        if (parts.Length != 2 || parts.Any(part => part.Length == 0 || part.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))) || revision.Length == 0)
        {
            throw new ModelStoreException(
                $"Model:Id '{modelId}' is neither an existing local directory nor a Hugging Face repository id of the form 'owner/name' or 'owner/name@revision'.");
        }

        var cacheName = Path.Combine($"{parts[0]}--{parts[1]}", Uri.EscapeDataString(revision));
        if (!string.IsNullOrWhiteSpace(mirrorUrl))
        {
            var mirror = mirrorUrl.TrimEnd('/');
            return new ModelSource(modelId, Path.Combine("mirror", ShortHash(mirror), cacheName), file => new Uri($"{mirror}/{file}"), HasManifest: true);
        }

        var hub = hubEndpoint.ToString().TrimEnd('/');
        return new ModelSource(modelId, cacheName, file => new Uri($"{hub}/{repository}/resolve/{Uri.EscapeDataString(revision)}/{file}"), HasManifest: false, hubEndpoint);
    }

    /// <summary>Whether <paramref name="url"/> is on the hub itself (scheme, host and port), where an access token may go.</summary>
    public bool IsOnHub(Uri url) => Hub is { } hub && Uri.Compare(url, hub, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0;

    /// <summary>The repository's page on the hub, where a gated model's access is requested.</summary>
    public Uri? RepositoryPage => Hub is { } hub ? new Uri(hub, ModelId.Split('@')[0]) : null;

    private static string ShortHash(string text) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)))[..12];
}

namespace OrleansSlm.Engine.ModelStore;

/// <summary>Where a model's files come from: a Hugging Face repository at a revision, or a mirror base URL.</summary>
internal sealed record ModelSource(string ModelId, string CacheName, Func<string, Uri> UrlOf, bool HasManifest)
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
        return new ModelSource(modelId, cacheName, file => new Uri($"{hub}/{repository}/resolve/{Uri.EscapeDataString(revision)}/{file}"), HasManifest: false);
    }

    private static string ShortHash(string text) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)))[..12];
}

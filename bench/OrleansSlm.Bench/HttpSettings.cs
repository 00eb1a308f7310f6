namespace OrleansSlm.Bench;

/// <summary>
/// Where the HTTP mode sends its requests. <see cref="Precision"/> only labels the results: the server's
/// <c>Model:Precision</c> decides what runs.
/// </summary>
internal sealed record HttpSettings(Uri BaseUrl, string Model, string? ApiKey, string? Precision)
{
    public static HttpSettings Parse(OptionSet options)
    {
        var url = options.Text("url", "http://localhost:8080");
        if (!Uri.TryCreate(url.EndsWith('/') ? url : url + "/", UriKind.Absolute, out var baseUrl) || (baseUrl.Scheme != Uri.UriSchemeHttp && baseUrl.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"--url must be an absolute http or https URL; got '{url}'.");
        }

        return new HttpSettings(baseUrl, options.RequiredText("model"), options.Text("api-key"), options.Text("precision")?.ToLowerInvariant());
    }
}

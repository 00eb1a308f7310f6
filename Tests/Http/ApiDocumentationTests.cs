using System.Net;
using System.Text.Json;
using OrleansSlm.Tests.Support;

namespace OrleansSlm.Tests.Http;

public sealed class ApiDocumentationTests
{
    [Fact]
    public async Task The_openapi_document_describes_the_users_routes_and_docs_serves_the_interactive_ui()
    {
        await using var frontend = FrontendFactory.Embedded();
        var client = frontend.CreateClient();

        using var document = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json"));
        using var ui = await client.GetAsync("/docs");

        var paths = document.RootElement.GetProperty("paths").EnumerateObject().Select(path => path.Name).ToList();
        Assert.Contains("/users", paths);
        Assert.Contains("/users/{id}", paths);
        Assert.Equal(HttpStatusCode.OK, ui.StatusCode);
        Assert.Equal("text/html", ui.Content.Headers.ContentType?.MediaType);
        var page = await ui.Content.ReadAsStringAsync();
        Assert.Contains("OrleansSlm API", page, StringComparison.Ordinal);
        Assert.Contains("openapi/v1.json", page, StringComparison.Ordinal);
    }
}

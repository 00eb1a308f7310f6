using OrleansSlm.Tests.Support;

namespace OrleansSlm.Tests.Chat;

/// <summary>One embedded frontend serving synthetic-tiny, shared by the tests of a class.</summary>
public sealed class EmbeddedFrontendFixture : IAsyncLifetime
{
    public FrontendFactory Frontend { get; } = FrontendFactory.Embedded();

    public HttpClient Client { get; private set; } = null!;

    public Task InitializeAsync()
    {
        Client = Frontend.CreateClient();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await Frontend.DisposeAsync();
}

using StackExchange.Redis;

namespace OrleansSlm.Tests.Support;

/// <summary>
/// Tests of the embedded frontend with the real Redis as its cache, each test on a fresh frontend and a key prefix of
/// its own, with a connection of their own to look at what Redis holds.
/// </summary>
public abstract class RedisBackedFrontendTests : IAsyncLifetime
{
    protected string KeyPrefix { get; } = $"test-{Guid.NewGuid():N}:";

    protected FrontendFactory Frontend { get; private set; } = null!;

    protected HttpClient Client { get; private set; } = null!;

    protected ConnectionMultiplexer Redis { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Frontend = FrontendFactory.Embedded(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Redis"] = TestEnvironment.RedisConnectionString,
            ["Cache:KeyPrefix"] = KeyPrefix,
        });
        Client = Frontend.CreateClient();
        Redis = await ConnectionMultiplexer.ConnectAsync(TestEnvironment.RedisConnectionString);
    }

    public async Task DisposeAsync()
    {
        await Redis.DisposeAsync();
        await Frontend.DisposeAsync();
    }
}

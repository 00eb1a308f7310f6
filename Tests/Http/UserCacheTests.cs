using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OrleansSlm.Frontend.Users;
using OrleansSlm.Tests.Support;
using StackExchange.Redis;

namespace OrleansSlm.Tests.Http;

/// <summary>The users cache in the real Redis: versioned entries, brief "no such user" answers, list generations.</summary>
[Trait(TestCategory.Name, TestCategory.NeedsServers)]
public sealed class UserCacheTests : RedisBackedFrontendTests
{
    private const string OldJson = """{"name":"old"}""";
    private const string NewJson = """{"name":"new"}""";

    private UserCache Cache => Frontend.Services.GetRequiredService<UserCache>();

    [Fact]
    public async Task A_read_that_fetched_a_profile_before_a_write_cannot_store_it_after_the_write()
    {
        await Cache.StoreFoundAsync(7, 3, OldJson);
        await Cache.WrittenAsync(7, 4);

        await Cache.StoreFoundAsync(7, 3, OldJson);
        var afterLateRead = await Cache.GetUserAsync(7);
        await Cache.StoreFoundAsync(7, 4, NewJson);
        await Cache.StoreFoundAsync(7, 3, OldJson);
        await Cache.WrittenAsync(7, 4);
        var afterBoth = await Cache.GetUserAsync(7);

        Assert.Null(afterLateRead);
        Assert.Equal(NewJson, afterBoth!.Json);
    }

    [Fact]
    public async Task A_missing_user_is_answered_from_redis_for_a_few_seconds_until_the_create_of_that_id()
    {
        var first = await CreateAsync("First", "first@example.com");
        var missing = first + 1;

        using var miss = await Client.GetAsync($"/users/{missing}");
        using var hit = await Client.GetAsync($"/users/{missing}");
        var ttl = await Redis.GetDatabase().KeyTimeToLiveAsync($"{KeyPrefix}users:entry:{missing}");
        var created = await CreateAsync("Second", "second@example.com");
        using var afterCreate = await Client.GetAsync($"/users/{missing}");

        await ApiErrorAssert.IsErrorAsync(miss, HttpStatusCode.NotFound);
        await ApiErrorAssert.IsErrorAsync(hit, HttpStatusCode.NotFound);
        Assert.Equal(["MISS", "HIT"], [miss.Headers.GetValues("X-Cache").Single(), hit.Headers.GetValues("X-Cache").Single()]);
        Assert.InRange(ttl!.Value.TotalSeconds, 0.1, 5);
        Assert.Equal(missing, created);
        Assert.Equal(HttpStatusCode.OK, afterCreate.StatusCode);
        Assert.Equal("Second", (await afterCreate.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("name").GetString());
    }

    [Fact]
    public async Task A_deleted_user_is_answered_404_from_redis_and_a_read_from_before_the_delete_cannot_return_it()
    {
        var id = await CreateAsync("Gone", "gone@example.com");
        using var beforeDelete = await Client.GetAsync($"/users/{id}");
        var json = await beforeDelete.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync($"/users/{id}")).StatusCode);
        await Cache.StoreFoundAsync(id, 1, json);
        using var afterDelete = await Client.GetAsync($"/users/{id}");

        await ApiErrorAssert.IsErrorAsync(afterDelete, HttpStatusCode.NotFound);
        Assert.Equal("HIT", afterDelete.Headers.GetValues("X-Cache").Single());
    }

    [Fact]
    public async Task Pages_past_the_last_user_are_not_cached_so_asking_many_offsets_adds_no_keys()
    {
        await CreateAsync("One", "one@example.com");
        await CreateAsync("Two", "two@example.com");

        for (var offset = 0; offset < 200; offset++)
        {
            var page = await Client.GetFromJsonAsync<JsonElement>($"/users?limit=1&offset={offset}");
            Assert.Equal(offset < 2 ? 1 : 0, page.GetProperty("data").GetArrayLength());
        }

        var server = Redis.GetServer(Redis.GetEndPoints().Single());
        var keys = new List<RedisKey>();
        await foreach (var key in server.KeysAsync(pattern: $"{KeyPrefix}users:list*"))
        {
            keys.Add(key);
        }

        var generation = (long)await Redis.GetDatabase().StringGetAsync($"{KeyPrefix}users:list-generation");
        Assert.Equal(
            new[] { $"{KeyPrefix}users:list-generation", $"{KeyPrefix}users:list:{generation}:0:1", $"{KeyPrefix}users:list:{generation}:1:1" },
            keys.Select(key => key.ToString()).Order(StringComparer.Ordinal));
    }

    private async Task<long> CreateAsync(string name, string email)
    {
        using var response = await Client.PostAsJsonAsync("/users", new { name, email });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
    }
}

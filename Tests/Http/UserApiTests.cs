using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using OrleansSlm.Tests.Support;
using StackExchange.Redis;

namespace OrleansSlm.Tests.Http;

/// <summary>The users API on the embedded default, with the real Redis as its read cache.</summary>
[Trait(TestCategory.Name, TestCategory.NeedsServers)]
public sealed class UserApiTests : RedisBackedFrontendTests
{
    [Fact]
    public async Task A_user_is_created_read_listed_patched_and_deleted()
    {
        using var created = await Client.PostAsJsonAsync("/users", new { name = "Ada Lovelace", email = "ada@example.com" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var user = await created.Content.ReadFromJsonAsync<JsonElement>();
        var id = user.GetProperty("id").GetInt64();
        Assert.Equal($"/users/{id}", created.Headers.Location!.OriginalString);

        var read = await Client.GetFromJsonAsync<JsonElement>($"/users/{id}");
        Assert.Equal("ada@example.com", read.GetProperty("email").GetString());
        var list = await Client.GetFromJsonAsync<JsonElement>("/users");
        Assert.Contains(id, list.GetProperty("data").EnumerateArray().Select(item => item.GetProperty("id").GetInt64()));

        using var patched = await Client.PatchAsJsonAsync($"/users/{id}", new { name = "Ada King" });
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        Assert.Equal("Ada King", (await patched.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("name").GetString());

        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync($"/users/{id}")).StatusCode);
        await ApiErrorAssert.IsErrorAsync(await Client.GetAsync($"/users/{id}"), HttpStatusCode.NotFound);
        await ApiErrorAssert.IsErrorAsync(await Client.DeleteAsync($"/users/{id}"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_duplicate_email_in_any_letter_case_is_refused_with_409_and_stores_nothing()
    {
        await CreateAsync("First", "same@example.com");

        var error = await ApiErrorAssert.IsErrorAsync(await Client.PostAsJsonAsync("/users", new { name = "Second", email = "SAME@Example.com" }), HttpStatusCode.Conflict);

        Assert.Equal("email", error.GetProperty("param").GetString());
        Assert.Equal(1, (await Client.GetFromJsonAsync<JsonElement>("/users")).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Patching_an_email_to_one_in_use_is_refused_and_freed_emails_can_be_reused()
    {
        var first = await CreateAsync("First", "first@example.com");
        var second = await CreateAsync("Second", "second@example.com");

        await ApiErrorAssert.IsErrorAsync(await Client.PatchAsJsonAsync($"/users/{second}", new { email = "FIRST@example.com" }), HttpStatusCode.Conflict);
        Assert.Equal(HttpStatusCode.OK, (await Client.PatchAsJsonAsync($"/users/{first}", new { email = "renamed@example.com" })).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await Client.PatchAsJsonAsync($"/users/{second}", new { email = "first@example.com" })).StatusCode);
    }

    [Fact]
    public async Task Listing_pages_through_users_in_ascending_id_order()
    {
        var ids = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await CreateAsync($"User {i}", $"user{i}@example.com"));
        }

        var firstPage = await Client.GetFromJsonAsync<JsonElement>("/users?limit=2");
        var lastPage = await Client.GetFromJsonAsync<JsonElement>("/users?limit=2&offset=4");

        Assert.Equal(ids.Take(2), firstPage.GetProperty("data").EnumerateArray().Select(item => item.GetProperty("id").GetInt64()));
        Assert.Equal(2, firstPage.GetProperty("next_offset").GetInt32());
        Assert.Equal(5, firstPage.GetProperty("total").GetInt32());
        Assert.Equal([ids[4]], lastPage.GetProperty("data").EnumerateArray().Select(item => item.GetProperty("id").GetInt64()));
        Assert.Equal(JsonValueKind.Null, lastPage.GetProperty("next_offset").ValueKind);
    }

    [Fact]
    public async Task Reads_are_served_from_redis_until_a_write_leaves_them_behind()
    {
        var id = await CreateAsync("Cached", "cached@example.com");
        var database = Redis.GetDatabase();

        using var miss = await Client.GetAsync($"/users/{id}");
        using var hit = await Client.GetAsync($"/users/{id}");
        using var listMiss = await Client.GetAsync("/users?limit=10");
        using var listHit = await Client.GetAsync("/users?limit=10");
        var generation = (long)await database.StringGetAsync($"{KeyPrefix}users:list-generation");
        var cachedUser = await database.HashGetAsync($"{KeyPrefix}users:entry:{id}", "body");
        var cachedList = await database.StringGetAsync($"{KeyPrefix}users:list:{generation}:0:10");
        var ttl = await database.KeyTimeToLiveAsync($"{KeyPrefix}users:entry:{id}");

        Assert.Equal("MISS", miss.Headers.GetValues("X-Cache").Single());
        Assert.Equal("HIT", hit.Headers.GetValues("X-Cache").Single());
        Assert.Equal("MISS", listMiss.Headers.GetValues("X-Cache").Single());
        Assert.Equal("HIT", listHit.Headers.GetValues("X-Cache").Single());
        Assert.Contains("cached@example.com", cachedUser.ToString(), StringComparison.Ordinal);
        Assert.Contains("cached@example.com", cachedList.ToString(), StringComparison.Ordinal);
        Assert.InRange(ttl!.Value.TotalSeconds, 1, 60);

        await Client.PatchAsJsonAsync($"/users/{id}", new { name = "Changed" });

        Assert.False(await database.HashExistsAsync($"{KeyPrefix}users:entry:{id}", "body"));
        Assert.True((long)await database.StringGetAsync($"{KeyPrefix}users:list-generation") > generation);
        using var afterWrite = await Client.GetAsync($"/users/{id}");
        using var listAfterWrite = await Client.GetAsync("/users?limit=10");
        Assert.Equal("MISS", afterWrite.Headers.GetValues("X-Cache").Single());
        Assert.Equal("Changed", (await afterWrite.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("name").GetString());
        Assert.Equal("MISS", listAfterWrite.Headers.GetValues("X-Cache").Single());
        Assert.Contains("Changed", await listAfterWrite.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    public static TheoryData<string, string, string?, HttpStatusCode, string?> BadRequests => new()
    {
        { "POST", "/users", "{\"name\": \"A\", \"email\": ", HttpStatusCode.BadRequest, "email" },
        { "POST", "/users", "[1, 2]", HttpStatusCode.BadRequest, null },
        { "POST", "/users", "{\"name\": 5, \"email\": \"a@example.com\"}", HttpStatusCode.BadRequest, "name" },
        { "POST", "/users", "{\"email\": \"a@example.com\"}", HttpStatusCode.BadRequest, "name" },
        { "POST", "/users", "{\"name\": \"A\"}", HttpStatusCode.BadRequest, "email" },
        { "POST", "/users", "{\"name\": \"   \", \"email\": \"a@example.com\"}", HttpStatusCode.BadRequest, "name" },
        { "POST", "/users", "{\"name\": \"A\", \"email\": \"not-an-email\"}", HttpStatusCode.BadRequest, "email" },
        { "POST", "/users", "{\"name\": \"A\", \"email\": \"Ada <ada@example.com>\"}", HttpStatusCode.BadRequest, "email" },
        { "POST", "/users", $"{{\"name\": \"{new string('x', 201)}\", \"email\": \"a@example.com\"}}", HttpStatusCode.BadRequest, "name" },
        { "POST", "/users", "{\"name\": \"A\\ud800\", \"email\": \"a@example.com\"}", HttpStatusCode.BadRequest, "name" },
        { "POST", "/users", "{\"name\": \"A\", \"email\": \"a\\udc00@example.com\"}", HttpStatusCode.BadRequest, "email" },
        { "PATCH", "/users/1", "{\"name\": \"\\ud800\"}", HttpStatusCode.BadRequest, "name" },
        { "GET", "/users/abc", null, HttpStatusCode.BadRequest, "id" },
        { "GET", "/users/-4", null, HttpStatusCode.BadRequest, "id" },
        { "GET", "/users/99999", null, HttpStatusCode.NotFound, "id" },
        { "GET", "/users?limit=0", null, HttpStatusCode.BadRequest, "limit" },
        { "GET", "/users?limit=many", null, HttpStatusCode.BadRequest, "limit" },
        { "GET", "/users?offset=-1", null, HttpStatusCode.BadRequest, "offset" },
        { "GET", "/users?offset=1000001", null, HttpStatusCode.BadRequest, "offset" },
        { "PATCH", "/users/1", "{}", HttpStatusCode.BadRequest, null },
        { "PATCH", "/users/x", "{\"name\": \"B\"}", HttpStatusCode.BadRequest, "id" },
        { "PATCH", "/users/1", "{\"email\": \"bad\"}", HttpStatusCode.BadRequest, "email" },
        { "DELETE", "/users/0", null, HttpStatusCode.BadRequest, "id" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task Bad_input_gets_an_openai_style_4xx_and_changes_nothing(string method, string path, string? body, HttpStatusCode expected, string? param)
    {
        var existing = await CreateAsync("Existing", "existing@example.com");
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        var error = await ApiErrorAssert.IsErrorAsync(await Client.SendAsync(request), expected);

        Assert.Equal(param, error.GetProperty("param").GetString());
        var list = await Client.GetFromJsonAsync<JsonElement>("/users");
        Assert.Equal(1, list.GetProperty("total").GetInt32());
        Assert.Equal("Existing", (await Client.GetFromJsonAsync<JsonElement>($"/users/{existing}")).GetProperty("name").GetString());
    }

    private async Task<long> CreateAsync(string name, string email)
    {
        using var response = await Client.PostAsJsonAsync("/users", new { name, email });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OrleansSlm.Tests.Support;

namespace OrleansSlm.Tests.Http;

[Trait(TestCategory.Name, TestCategory.NeedsServers)]
public sealed class UserApiResilienceTests
{
    [Fact]
    public async Task With_redis_down_the_api_keeps_serving_from_the_grains_and_readiness_names_redis()
    {
        await using var frontend = FrontendFactory.Embedded(new Dictionary<string, string?> { ["ConnectionStrings:Redis"] = $"127.0.0.1:{FreePort.Next()}" });
        var client = frontend.CreateClient();

        using var created = await client.PostAsJsonAsync("/users", new { name = "No Cache", email = "nocache@example.com" });
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        var read = await client.GetFromJsonAsync<JsonElement>($"/users/{id}");
        var ready = await ProbeResponse.WaitForFailedAsync(client, "/readyz", ["redis"], TimeSpan.FromSeconds(30));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("nocache@example.com", read.GetProperty("email").GetString());
        Assert.Equal(["redis"], ready.Failed);
    }

    [Fact]
    public async Task In_cluster_mode_users_and_their_index_survive_a_restart_of_every_silo()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        var clusterId = $"users-{Guid.NewGuid():N}";
        long id;
        await using (var silo = await ClusterSilo.StartAsync(database.ConnectionString, clusterId))
        await using (var frontend = FrontendFactory.Client(database.ConnectionString, clusterId))
        {
            var client = frontend.CreateClient();
            using var created = await client.PostAsJsonAsync("/users", new { name = "Durable", email = "durable@example.com" });
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        }

        await using var restartedSilo = await ClusterSilo.StartAsync(database.ConnectionString, clusterId);
        await using var restartedFrontend = FrontendFactory.Client(database.ConnectionString, clusterId);
        var restartedClient = restartedFrontend.CreateClient();

        var read = await restartedClient.GetFromJsonAsync<JsonElement>($"/users/{id}");
        var list = await restartedClient.GetFromJsonAsync<JsonElement>("/users");
        var duplicate = await restartedClient.PostAsJsonAsync("/users", new { name = "Copy", email = "DURABLE@example.com" });
        using var next = await restartedClient.PostAsJsonAsync("/users", new { name = "Next", email = "next@example.com" });

        Assert.Equal("Durable", read.GetProperty("name").GetString());
        Assert.Equal(1, list.GetProperty("total").GetInt32());
        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
        Assert.Equal(id + 1, (await next.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64());
    }
}

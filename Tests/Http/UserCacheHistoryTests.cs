using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Orleans;
using OrleansSlm.GrainsInterfaces.Users;
using OrleansSlm.Tests.Support;
using Xunit.Abstractions;

namespace OrleansSlm.Tests.Http;

/// <summary>
/// Concurrent GETs and PATCHes through the frontend with Redis as its cache, recorded as a history: no GET that
/// starts after a PATCH returned may show an older profile, for as long as any cache entry lives.
/// </summary>
[Trait(TestCategory.Name, TestCategory.NeedsServers)]
public sealed class UserCacheHistoryTests(ITestOutputHelper output)
{
    private const int Users = 4;
    private const int PatchesPerUser = 60;
    private const int Readers = 6;

    [Fact]
    public async Task After_a_patch_returns_no_get_shows_an_older_profile()
    {
        await using var frontend = FrontendFactory.Embedded(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Redis"] = TestEnvironment.RedisConnectionString,
            ["Cache:KeyPrefix"] = $"test-{Guid.NewGuid():N}:",
        }).WithWebHostBuilder(web => web.ConfigureTestServices(services => services.AddSingleton<IOutgoingGrainCallFilter, SlowUserReadReplies>()));
        var client = frontend.CreateClient();
        var ids = new List<long>();
        for (var user = 0; user < Users; user++)
        {
            using var created = await client.PostAsJsonAsync("/users", new { name = "v0", email = $"history{user}@example.com" });
            ids.Add((await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64());
        }

        var patches = new List<Operation>();
        var reads = new List<Operation>();
        var hits = 0;
        var writers = ids.Select(id => Task.Run(async () =>
        {
            for (var value = 1; value <= PatchesPerUser; value++)
            {
                var start = Stopwatch.GetTimestamp();
                using var patched = await client.PatchAsJsonAsync($"/users/{id}", new { name = $"v{value}" });
                Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
                lock (patches)
                {
                    patches.Add(new Operation(id, start, Stopwatch.GetTimestamp(), value));
                }
            }
        })).ToList();
        var writing = Task.WhenAll(writers);
        var readers = Enumerable.Range(0, Readers).Select(_ => Task.Run(async () =>
        {
            while (!writing.IsCompleted)
            {
                var id = ids[Random.Shared.Next(ids.Count)];
                var start = Stopwatch.GetTimestamp();
                using var read = await client.GetAsync($"/users/{id}");
                var end = Stopwatch.GetTimestamp();
                var name = (await read.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("name").GetString()!;
                lock (reads)
                {
                    reads.Add(new Operation(id, start, end, int.Parse(name[1..])));
                    hits += read.Headers.GetValues("X-Cache").Single() == "HIT" ? 1 : 0;
                }
            }
        })).ToList();
        await Task.WhenAll(readers.Append(writing));

        var stale = reads
            .Select(read => (Read: read, Acknowledged: patches.Where(patch => patch.Id == read.Id && patch.End < read.Start).Select(patch => patch.Value).DefaultIfEmpty(0).Max()))
            .Where(pair => pair.Read.Value < pair.Acknowledged)
            .ToList();
        output.WriteLine($"{patches.Count} PATCHes, {reads.Count} GETs ({hits} answered from Redis), {stale.Count} stale");
        Assert.Equal(Users * PatchesPerUser, patches.Count);
        Assert.True(hits > 0, "no GET was answered from Redis, so the history says nothing about the cache");
        Assert.True(stale.Count == 0,
            $"{stale.Count} of {reads.Count} GETs showed a profile older than a PATCH that had returned, e.g. " +
            string.Join("; ", stale.Take(5).Select(pair => $"user {pair.Read.Id}: v{pair.Read.Value} after v{pair.Acknowledged} returned")));
    }

    /// <summary>One recorded request: the user, when it was sent and answered (stopwatch ticks), and the name's number.</summary>
    private sealed record Operation(long Id, long Start, long End, int Value);

    /// <summary>
    /// Replies to the frontend's reads of a user arrive up to 3 ms late, as over a busy network: the window in which a
    /// PATCH can write and return between a GET's read of the grain and its store into Redis.
    /// </summary>
    private sealed class SlowUserReadReplies : IOutgoingGrainCallFilter
    {
        public async Task Invoke(IOutgoingGrainCallContext context)
        {
            await context.Invoke();
            if (context.SourceContext is null && context.InterfaceMethod.DeclaringType == typeof(IUserGrain) && context.MethodName == nameof(IUserGrain.GetAsync))
            {
                await Task.Delay(Random.Shared.Next(0, 4));
            }
        }
    }
}

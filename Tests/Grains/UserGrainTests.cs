using OrleansSlm.GrainsInterfaces.Users;

namespace OrleansSlm.Tests.Grains;

[Collection(TestClusterCollection.Name)]
public sealed class UserGrainTests(TestClusterFixture fixture)
{
    [Fact]
    public async Task A_created_user_is_returned_by_later_calls()
    {
        var grain = fixture.Cluster.Client.GetGrain<IUserGrain>(1001);

        var created = await grain.CreateAsync("Grace", "grace@example.com");

        Assert.Equal(new UserProfile(1001, "Grace", "grace@example.com", created.CreatedAt) { Version = 1 }, await grain.GetAsync());
    }

    [Fact]
    public async Task Each_update_raises_the_version_by_one_so_caches_can_order_copies()
    {
        var grain = fixture.Cluster.Client.GetGrain<IUserGrain>(1004);
        await grain.CreateAsync("Edsger", "edsger@example.com");

        var first = await grain.UpdateAsync("Edsger D.", "edsger@example.com");
        var second = await grain.UpdateAsync("E. W. Dijkstra", "ewd@example.com");

        Assert.Equal([2L, 3L], [first!.Version, second!.Version]);
        Assert.Equal(second, await grain.GetAsync());
    }

    [Fact]
    public async Task Creating_a_user_under_a_taken_id_fails_and_keeps_the_first_user()
    {
        var grain = fixture.Cluster.Client.GetGrain<IUserGrain>(1002);
        var first = await grain.CreateAsync("Alan", "alan@example.com");

        await Assert.ThrowsAsync<UserAlreadyExistsException>(() => grain.CreateAsync("Mallory", "mallory@example.com"));

        Assert.Equal(first, await grain.GetAsync());
    }

    [Fact]
    public async Task An_unknown_user_is_null()
    {
        Assert.Null(await fixture.Cluster.Client.GetGrain<IUserGrain>(1003).GetAsync());
    }
}

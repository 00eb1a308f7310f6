using Microsoft.Extensions.Logging.Abstractions;
using OrleansSlm.ServiceDefaults.Persistence;
using OrleansSlm.Tests.Support;

namespace OrleansSlm.Tests.Cluster;

[Trait(TestCategory.Name, TestCategory.NeedsServers)]
public sealed class OrleansSchemaTests
{
    private const string CatalogueQuery = "SELECT querykey FROM orleansquery ORDER BY querykey";

    [Fact]
    public async Task Applying_to_an_empty_database_creates_the_tables_and_every_query_key()
    {
        await using var database = await PostgresDatabase.CreateAsync();

        await Schema(database).ApplyAsync();

        var tables = await database.ColumnAsync("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1");
        Assert.Equal(["orleansmembershiptable", "orleansmembershipversiontable", "orleansquery", "orleansstorage"], tables);
        var keys = await database.ColumnAsync(CatalogueQuery);
        Assert.Equal(9, OrleansSchema.ClusteringQueryKeys.Count);
        Assert.All(OrleansSchema.ClusteringQueryKeys.Concat(OrleansSchema.StorageQueryKeys), key => Assert.Contains(key, keys));
    }

    [Fact]
    public async Task Applying_twice_leaves_the_same_catalogue_and_keeps_existing_rows()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        var schema = Schema(database);
        await schema.ApplyAsync();
        await database.ScalarAsync<int>("INSERT INTO orleansmembershipversiontable (deploymentid) VALUES ('kept')");
        var keysAfterFirst = await database.ColumnAsync(CatalogueQuery);

        await schema.ApplyAsync();

        Assert.Equal(keysAfterFirst, await database.ColumnAsync(CatalogueQuery));
        Assert.Equal(["kept"], await database.ColumnAsync("SELECT deploymentid FROM orleansmembershipversiontable"));
    }

    [Fact]
    public async Task Applying_from_many_processes_at_the_same_moment_succeeds_for_all()
    {
        await using var database = await PostgresDatabase.CreateAsync();

        await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(() => Schema(database).ApplyAsync())));

        Assert.Equal(12, (await database.ColumnAsync(CatalogueQuery)).Count);
    }

    private static OrleansSchema Schema(PostgresDatabase database) => new(database.ConnectionString, NullLogger<OrleansSchema>.Instance);
}

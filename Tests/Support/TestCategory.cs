namespace OrleansSlm.Tests.Support;

/// <summary>
/// The trait that splits the suite: tests marked <c>[Trait(TestCategory.Name, TestCategory.NeedsServers)]</c> use the
/// PostgreSQL and Redis that <c>./scripts/test.sh</c> starts. The rest need no server:
/// <c>dotnet test --filter "Category!=NeedsServers"</c> runs them alone.
/// </summary>
public static class TestCategory
{
    public const string Name = "Category";

    public const string NeedsServers = "NeedsServers";
}

namespace OrleansSlm.Tests.Support;

/// <summary>The servers that <c>./scripts/test.sh</c> starts for the tests, found through environment variables.</summary>
public static class TestEnvironment
{
    public static string PostgresConnectionString => Require("ORLEANSSLM_TEST_POSTGRES", "a throwaway PostgreSQL");

    public static string RedisConnectionString => Require("ORLEANSSLM_TEST_REDIS", "a throwaway Redis");

    public static string PostgresBinDirectory => Require("ORLEANSSLM_TEST_PG_BIN", "the PostgreSQL server binaries");

    public static string RedisServerPath => Require("ORLEANSSLM_TEST_REDIS_SERVER", "the redis-server binary");

    private static string Require(string name, string what)
    {
        var value = Environment.GetEnvironmentVariable(name);
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new InvalidOperationException(
                $"{name} is not set: this test needs {what}. Run the tests with ./scripts/test.sh, " +
                "which installs PostgreSQL and Redis when missing, starts throwaway servers and sets these variables.");
        }

        return value;
    }
}

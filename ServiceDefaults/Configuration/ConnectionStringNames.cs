namespace OrleansSlm.ServiceDefaults.Configuration;

public static class ConnectionStringNames
{
    public const string Postgres = "Postgres";
    public const string Redis = "Redis";
}

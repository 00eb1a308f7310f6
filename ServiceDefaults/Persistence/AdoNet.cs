namespace OrleansSlm.ServiceDefaults.Persistence;

public static class AdoNet
{
    /// <summary>The ADO.NET invariant name under which the Orleans providers find Npgsql.</summary>
    public const string Invariant = "Npgsql";
}

namespace OrleansSlm.Frontend.Security;

/// <summary>The <c>Dashboard</c> configuration section: how browsers sign in to the dashboard when API keys are on.</summary>
public sealed class DashboardOptions
{
    public const string SectionName = "Dashboard";

    /// <summary>
    /// Signs the session cookies (HMAC-SHA256). Every frontend behind one load balancer needs the same value, so that a
    /// cookie one of them issued works on all. Empty: a random secret per process, so a session works only on the
    /// frontend that opened it, until it restarts.
    /// </summary>
    public string SessionSecret { get; set; } = "";

    /// <summary>How long a sign-in lasts.</summary>
    public int SessionHours { get; set; } = 8;

    /// <summary>Failed sign-ins a client address may make per minute before the form answers 429.</summary>
    public int SignInAttemptsPerMinute { get; set; } = 5;
}

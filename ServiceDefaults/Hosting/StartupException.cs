namespace OrleansSlm.ServiceDefaults.Hosting;

/// <summary>
/// A start-up failure whose message already names the cause and the way out (a model that cannot be fetched, for
/// example). <see cref="HostRunExtensions.RunUntilStoppedAsync"/> prints that message alone, however deep the host
/// has wrapped it.
/// </summary>
public sealed class StartupException : Exception
{
    public StartupException()
    {
    }

    public StartupException(string message)
        : base(message)
    {
    }

    public StartupException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

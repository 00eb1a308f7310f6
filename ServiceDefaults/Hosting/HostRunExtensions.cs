using Microsoft.Extensions.Hosting;

namespace OrleansSlm.ServiceDefaults.Hosting;

public static class HostRunExtensions
{
    /// <summary>
    /// Builds the host with <paramref name="build"/> and runs it until it is stopped. A failure while building (a bad
    /// value among the settings that shape the host: the mode, ports, clustering) ends the process as a failed start
    /// does.
    /// </summary>
    public static async Task<int> BuildAndRunAsync(Func<IHost> build)
    {
        IHost host;
        try
        {
            host = build();
        }
        // HostAbortedException is how test hosts (WebApplicationFactory) stop an entry point once the host is built.
        catch (Exception exception) when (exception is not (OutOfMemoryException or HostAbortedException))
        {
            await Console.Error.WriteLineAsync($"OrleansSlm could not start: {CauseMessage(exception)}");
            return 1;
        }

        using (host)
        {
            return await host.RunUntilStoppedAsync();
        }
    }

    /// <summary>
    /// Runs the host until it is stopped. A start-up failure (most often a model that cannot be fetched) ends the
    /// process with exit code 1 and one line naming the cause and the way out, rather than a crash dump.
    /// </summary>
    public static async Task<int> RunUntilStoppedAsync(this IHost host)
    {
        try
        {
            await host.StartAsync();
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            await Console.Error.WriteLineAsync($"OrleansSlm could not start: {CauseMessage(exception)}");
            return 1;
        }

        await host.WaitForShutdownAsync();
        return 0;
    }

    /// <summary>A <see cref="StartupException"/>'s message when one is in the chain (Orleans wraps start-up failures), else the innermost one.</summary>
    private static string CauseMessage(Exception exception)
    {
        var chain = new List<Exception>();
        for (var current = exception; current is not null; current = current.InnerException)
        {
            chain.Add(current is AggregateException { InnerExceptions.Count: 1 } aggregate ? aggregate.InnerExceptions[0] : current);
        }

        return chain.OfType<StartupException>().FirstOrDefault()?.Message ?? chain[^1].Message;
    }
}

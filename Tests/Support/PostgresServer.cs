using System.Diagnostics;

namespace OrleansSlm.Tests.Support;

/// <summary>
/// A private PostgreSQL server in a temporary directory, for the tests that stop and restart the database
/// under a running service. Uses the binaries that <c>./scripts/test.sh</c> found.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"orleansslm-pg-{Guid.NewGuid():N}");
    private readonly string _binDirectory = TestEnvironment.PostgresBinDirectory;

    private PostgresServer(int port) => Port = port;

    public int Port { get; }

    public string ConnectionString => $"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres;Timeout=5";

    private string DataDirectory => Path.Combine(_directory, "data");

    public static async Task<PostgresServer> StartNewAsync()
    {
        var server = new PostgresServer(FreePort.Next());
        Directory.CreateDirectory(server.DataDirectory);
        if (IsRoot)
        {
            await RunAsync("chown", ["-R", "postgres:", server._directory]);
        }

        await server.RunServerToolAsync("initdb", ["-D", server.DataDirectory, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"]);
        await server.StartAsync();
        return server;
    }

    public Task StartAsync() => RunServerToolAsync("pg_ctl",
    [
        "-D", DataDirectory, "-l", Path.Combine(_directory, "server.log"), "-w", "-t", "30",
        "-o", $"-p {Port} -k {_directory} -c listen_addresses=127.0.0.1 -c fsync=off", "start",
    ]);

    public Task StopAsync() => RunServerToolAsync("pg_ctl", ["-D", DataDirectory, "-m", "immediate", "-w", "stop"]);

    public async ValueTask DisposeAsync()
    {
        if (File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
        {
            await StopAsync();
        }

        Directory.Delete(_directory, recursive: true);
    }

    private static bool IsRoot => Environment.UserName == "root";

    private Task RunServerToolAsync(string tool, IReadOnlyList<string> arguments)
    {
        var executable = Path.Combine(_binDirectory, tool);
        return IsRoot ? RunAsync("runuser", ["-u", "postgres", "--", executable, .. arguments]) : RunAsync(executable, arguments);
    }

    private static async Task RunAsync(string fileName, IReadOnlyList<string> arguments)
    {
        var startInfo = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"could not start {fileName}");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{fileName} {string.Join(' ', arguments)} failed ({process.ExitCode}): {await output}{await error}");
        }
    }
}

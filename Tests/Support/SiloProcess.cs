using System.Diagnostics;
using System.Text;

namespace OrleansSlm.Tests.Support;

/// <summary>The built Silo program run as a separate process, as operators run it.</summary>
public sealed class SiloProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private SiloProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, line) => Append(line.Data);
        process.ErrorDataReceived += (_, line) => Append(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static SiloProcess Start(IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment)
    {
        var startInfo = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        startInfo.ArgumentList.Add(SiloAssemblyPath());
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        startInfo.Environment.Remove("ConnectionStrings__Postgres");
        foreach (var (name, value) in TestModel.Environment.Concat(environment))
        {
            startInfo.Environment[name] = value;
        }

        return new SiloProcess(Process.Start(startInfo) ?? throw new InvalidOperationException("could not start the silo"));
    }

    /// <summary>Runs the program to completion and returns its exit code.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment)
    {
        await using var silo = Start(arguments, environment);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await silo._process.WaitForExitAsync(timeout.Token);
        silo._process.WaitForExit();
        return (silo._process.ExitCode, silo.Output);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    /// <summary>The Silo build output beside this test build (Tests/bin/X/net10.0 → Silo/bin/X/net10.0).</summary>
    private static string SiloAssemblyPath()
    {
        var testsOutput = AppContext.BaseDirectory;
        var marker = $"{Path.DirectorySeparatorChar}Tests{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}";
        var index = testsOutput.LastIndexOf(marker, StringComparison.Ordinal);
        if (index < 0)
        {
            throw new InvalidOperationException($"cannot locate the Silo build from {testsOutput}");
        }

        var siloOutput = string.Concat(testsOutput.AsSpan(0, index), $"{Path.DirectorySeparatorChar}Silo{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", testsOutput.AsSpan(index + marker.Length));
        return Path.Combine(siloOutput, "OrleansSlm.Silo.dll");
    }
}

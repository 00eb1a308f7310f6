using Microsoft.Extensions.Logging;

namespace OrleansSlm.Engine.ModelStore;

/// <summary>Download progress: a bar redrawn in place on an interactive console, and a log line every tenth of the file.</summary>
internal sealed class ConsoleProgress(ILogger logger, string file, long? totalBytes)
{
    private static readonly bool Interactive = !Console.IsErrorRedirected && Environment.UserInteractive;

    private int _lastLoggedTenth = -1;

    public void Report(long bytes)
    {
        if (totalBytes is not > 0)
        {
            return;
        }

        var fraction = Math.Min(1.0, (double)bytes / totalBytes.Value);
        var tenth = (int)(fraction * 10);
        if (tenth > _lastLoggedTenth)
        {
            _lastLoggedTenth = tenth;
            logger.LogInformation("Downloading {File}: {Percent:0}% of {Megabytes:0.0} MB", file, fraction * 100, totalBytes.Value / 1e6);
        }

        if (Interactive)
        {
            const int width = 30;
            var filled = (int)(fraction * width);
            Console.Error.Write($"\r{file} [{new string('#', filled)}{new string('.', width - filled)}] {fraction * 100,3:0}%");
            if (bytes >= totalBytes.Value)
            {
                Console.Error.WriteLine();
            }
        }
    }
}

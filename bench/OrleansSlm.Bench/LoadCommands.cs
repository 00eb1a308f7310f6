using Microsoft.Extensions.Logging;

namespace OrleansSlm.Bench;

/// <summary>The load modes: <c>http</c>, <c>engine</c>, <c>compare</c> (both in one run) and <c>ratio</c> (two saved runs).</summary>
internal static class LoadCommands
{
    public static async Task<int> HttpAsync(string[] args)
    {
        var options = OptionSet.Parse(args);
        var profile = LoadProfile.Parse(options);
        var settings = HttpSettings.Parse(options);
        var json = options.Text("json");
        options.EnsureAllRead();

        using var target = new HttpTarget(settings, profile);
        var result = await LoadRunner.RunAsync(target, profile, CancellationToken.None);
        Print(result);
        await ResultFile.WriteAsync(json, result);
        return ExitCode(result);
    }

    public static async Task<int> EngineAsync(string[] args)
    {
        var options = OptionSet.Parse(args);
        var profile = LoadProfile.Parse(options);
        var model = EngineSettings.Parse(options, profile);
        var json = options.Text("json");
        options.EnsureAllRead();

        using var loggerFactory = CreateLoggerFactory();
        var result = await RunEngineAsync(model, profile, loggerFactory.CreateLogger("bench"));
        Print(result);
        await ResultFile.WriteAsync(json, result);
        return ExitCode(result);
    }

    /// <summary>
    /// The HTTP run first, then the engine in this process with the same load: the prompt length the server counted
    /// (chat template included), the same concurrency and token count. The server sits idle during the engine run.
    /// </summary>
    public static async Task<int> CompareAsync(string[] args)
    {
        var options = OptionSet.Parse(args);
        var profile = LoadProfile.Parse(options);
        var settings = HttpSettings.Parse(options);
        var model = EngineSettings.Parse(options, profile);
        var json = options.Text("json");
        options.EnsureAllRead();

        LoadResult http;
        using (var target = new HttpTarget(settings with { Precision = model.Precision.ToString().ToLowerInvariant() }, profile))
        {
            http = await LoadRunner.RunAsync(target, profile, CancellationToken.None);
        }

        var engineProfile = http.Metrics.PromptTokensMean is { } counted ? profile with { PromptTokens = (int)Math.Round(counted) } : profile;
        using var loggerFactory = CreateLoggerFactory();
        var engine = await RunEngineAsync(model, engineProfile, loggerFactory.CreateLogger("bench"));
        var comparison = Comparison.Of(http, engine);
        ReportPrinter.Summary(http);
        ReportPrinter.Summary(engine);
        ReportPrinter.Comparison(comparison, http, engine);
        await ResultFile.WriteAsync(json, new CompareResult(http, engine, comparison));
        return Math.Max(ExitCode(http), ExitCode(engine));
    }

    /// <summary>The first saved run against the second: <c>ratio http.json engine.json</c> gives the stack's cost.</summary>
    public static async Task<int> RatioAsync(string subjectPath, string baselinePath)
    {
        var subject = await ResultFile.ReadAsync(subjectPath);
        var baseline = await ResultFile.ReadAsync(baselinePath);
        ReportPrinter.Comparison(Comparison.Of(subject, baseline), subject, baseline);
        return 0;
    }

    private static async Task<LoadResult> RunEngineAsync(Engine.Configuration.ModelOptions model, LoadProfile profile, ILogger logger)
    {
        using var target = await EngineTarget.LoadAsync(model, profile, logger, CancellationToken.None);
        return await LoadRunner.RunAsync(target, profile, CancellationToken.None);
    }

    private static ILoggerFactory CreateLoggerFactory() =>
        LoggerFactory.Create(logging => logging.AddSimpleConsole(console => console.SingleLine = true));

    private static void Print(LoadResult result)
    {
        ReportPrinter.Summary(result);
        ReportPrinter.Row(result);
    }

    /// <summary>A run in which nothing succeeded measured nothing; failures next to successes are part of the result.</summary>
    private static int ExitCode(LoadResult result) => result.Metrics.Succeeded > 0 ? 0 : 1;
}

using System.Diagnostics;
using Microsoft.Extensions.Logging;
using OrleansSlm.Infrastructure.Configuration;
using OrleansSlm.Infrastructure.Engine;
using OrleansSlm.Infrastructure.Models;

namespace OrleansSlm.Bench;

/// <summary>The engine alone, no HTTP: 64-token prefill latency and batch-1 greedy decode throughput.</summary>
internal static class DecodeBenchmark
{
    private const int PromptTokens = 64;

    public static async Task<int> RunAsync(string[] args)
    {
        var settings = DecodeArguments.Parse(args);
        using var loggerFactory = LoggerFactory.Create(logging => logging.AddSimpleConsole(console => console.SingleLine = true));
        var logger = loggerFactory.CreateLogger("bench");
        Console.WriteLine($"model {settings.Model}, threads {settings.Threads}, {Environment.ProcessorCount} processors, " +
                          $"decode {settings.DecodeTokens} tokens, median of {settings.Repeats}");
        Console.WriteLine("| precision | graph MB | prefill 64 tokens (ms) | prefill tok/s | decode tok/s (batch 1) |");
        Console.WriteLine("|---|---|---|---|---|");
        foreach (var precision in settings.Precisions)
        {
            var options = new ModelOptions
            {
                Id = settings.Model,
                Precision = precision,
                Threads = settings.Threads,
                MaxBatch = 1,
                MaxContext = PromptTokens + settings.DecodeTokens + 8,
            };
            using var model = await new ModelLoader(options, logger).LoadAsync(CancellationToken.None);
            var prompt = Enumerable.Range(0, PromptTokens).Select(i => 3 + (i * 7919 % (model.Decoder.Description.VocabSize - 3))).ToArray();
            Measure(model.Decoder, prompt, 8);
            var runs = Enumerable.Range(0, settings.Repeats).Select(_ => Measure(model.Decoder, prompt, settings.DecodeTokens)).ToArray();
            var prefillMs = Median(runs.Select(run => run.PrefillMs));
            var decode = Median(runs.Select(run => run.DecodeTokensPerSecond));
            var megabytes = new FileInfo(model.GraphPath).Length / 1e6;
            Console.WriteLine($"| {precision.ToString().ToLowerInvariant()} | {megabytes:F0} | {prefillMs:F1} | {PromptTokens / prefillMs * 1000:F0} | {decode:F1} |");
        }

        return 0;
    }

    private static (double PrefillMs, double DecodeTokensPerSecond) Measure(IDecoder decoder, int[] prompt, int decodeTokens)
    {
        using var sequence = decoder.StartSequence();
        var clock = Stopwatch.StartNew();
        var logits = sequence.Append(prompt);
        var prefill = clock.Elapsed.TotalMilliseconds;
        clock.Restart();
        for (var i = 0; i < decodeTokens; i++)
        {
            logits = sequence.Append([ArgMax(logits)]);
        }

        return (prefill, decodeTokens / clock.Elapsed.TotalSeconds);
    }

    private static int ArgMax(float[] values)
    {
        var best = 0;
        for (var i = 1; i < values.Length; i++)
        {
            if (values[i] > values[best])
            {
                best = i;
            }
        }

        return best;
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }
}

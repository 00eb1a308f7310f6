using System.Diagnostics;
using Microsoft.Extensions.Logging;
using OrleansSlm.Engine.Configuration;
using OrleansSlm.Engine.Decoding;
using OrleansSlm.Engine.Models;
using OrleansSlm.Engine.Sampling;

namespace OrleansSlm.Bench;

/// <summary>
/// The decoder alone, no scheduler: 64-token prefill latency, and greedy decode throughput at each batch size (every
/// row prefilled with the prompt, then one batched step per token), so the model's own gain from batching is known
/// apart from the scheduler's and the server's.
/// </summary>
internal static class DecodeBenchmark
{
    private const int PromptTokens = 64;

    public static async Task<int> RunAsync(string[] args)
    {
        var settings = DecodeArguments.Parse(args);
        using var loggerFactory = LoggerFactory.Create(logging => logging.AddSimpleConsole(console => console.SingleLine = true));
        var logger = loggerFactory.CreateLogger("bench");
        Console.WriteLine($"model {settings.Model}, threads {settings.Threads}, {Environment.ProcessorCount} processors, " +
                          $"decode {settings.DecodeTokens} tokens, median of {settings.Repeats}, attention {settings.Attention}");
        var batchColumns = string.Concat(settings.Batches.Select(batch => $" decode tok/s, batch {batch} |"));
        var ratioColumn = settings.Batches.Count > 1 ? $" batch {settings.Batches[^1]} / batch {settings.Batches[0]} |" : "";
        Console.WriteLine($"| precision | graph MB | prefill 64 tokens (ms) | prefill tok/s |{batchColumns}{ratioColumn}");
        Console.WriteLine("|---|---|---|---|" + string.Concat(Enumerable.Repeat("---|", settings.Batches.Count + (ratioColumn.Length > 0 ? 1 : 0))));
        foreach (var precision in settings.Precisions)
        {
            var options = new ModelOptions
            {
                Id = settings.Model,
                Precision = precision,
                Threads = settings.Threads,
                Attention = settings.Attention,
                MaxBatch = settings.Batches.Max(),
                MaxContext = PromptTokens + settings.DecodeTokens + 8,
            };
            using var model = await new ModelLoader(options, logger).LoadAsync(CancellationToken.None);
            var prompt = Enumerable.Range(0, PromptTokens).Select(i => 3 + (i * 7919 % (model.Decoder.Description.VocabSize - 3))).ToArray();
            Measure(model.Decoder, prompt, 1, 8);
            var runs = settings.Batches
                .Select(batch => Enumerable.Range(0, settings.Repeats).Select(_ => Measure(model.Decoder, prompt, batch, settings.DecodeTokens)).ToArray())
                .ToArray();
            var prefillMs = Median(runs.SelectMany(batchRuns => batchRuns).Select(run => run.PrefillMs));
            var decode = runs.Select(batchRuns => Median(batchRuns.Select(run => run.DecodeTokensPerSecond))).ToList();

            var megabytes = new FileInfo(model.GraphPath).Length / 1e6;
            var ratio = decode.Count > 1 ? $" {decode[^1] / decode[0]:F1}× |" : "";
            Console.WriteLine($"| {precision.ToString().ToLowerInvariant()} | {megabytes:F0} | {prefillMs:F1} | {PromptTokens / prefillMs * 1000:F0} |" +
                              string.Concat(decode.Select(value => $" {value:F1} |")) + ratio);
        }

        return 0;
    }

    /// <summary>Prefills <paramref name="batch"/> rows with the prompt (the first one's prefill is timed), then decodes them together.</summary>
    private static (double PrefillMs, double DecodeTokensPerSecond) Measure(IDecoder decoder, int[] prompt, int batch, int decodeTokens)
    {
        var rows = new List<IDecoderSequence>();
        try
        {
            var vocabulary = decoder.Description.VocabSize;
            var logits = new float[batch * vocabulary];
            var prefill = 0.0;
            for (var row = 0; row < batch; row++)
            {
                rows.Add(decoder.StartSequence());
                var started = Stopwatch.GetTimestamp();
                rows[row].Append(prompt).CopyTo(logits.AsSpan(row * vocabulary));
                if (row == 0)
                {
                    prefill = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                }
            }

            var tokens = new int[batch];
            var clock = Stopwatch.StartNew();
            for (var step = 0; step < decodeTokens; step++)
            {
                for (var row = 0; row < batch; row++)
                {
                    tokens[row] = Sampler.ArgMax(logits.AsSpan(row * vocabulary, vocabulary));
                }

                decoder.DecodeBatch(rows, tokens, logits);
            }

            return (prefill, batch * decodeTokens / clock.Elapsed.TotalSeconds);
        }
        finally
        {
            foreach (var row in rows)
            {
                row.Dispose();
            }
        }
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }
}

using System.Text.Json;
using OrleansSlm.Bench;

try
{
    return args switch
    {
        ["decode", .. var rest] => await DecodeBenchmark.RunAsync(rest),
        ["http", .. var rest] => await LoadCommands.HttpAsync(rest),
        ["engine", .. var rest] => await LoadCommands.EngineAsync(rest),
        ["compare", .. var rest] => await LoadCommands.CompareAsync(rest),
        ["ratio", var subject, var baseline] => await LoadCommands.RatioAsync(subject, baseline),
        _ => Usage(),
    };
}
catch (ArgumentException exception)
{
    Console.Error.WriteLine($"error: {exception.Message}");
    Console.Error.WriteLine("Run without arguments for the list of modes and options.");
    return 2;
}
catch (Exception exception) when (exception is InvalidOperationException or IOException or JsonException or HttpRequestException)
{
    Console.Error.WriteLine($"error: {exception.Message}");
    return 1;
}

static int Usage()
{
    Console.Error.WriteLine("""
        usage: dotnet run -c Release --project bench/OrleansSlm.Bench -- <mode> [options]

        modes:
          http      streaming chat completions against a running frontend (OpenAI protocol)
          engine    the same load on the engine's scheduler in this process: no HTTP, no Orleans
          compare   http, then engine with the same load, and the ratio between them
          ratio     <subject.json> <baseline.json>: compare two saved runs (e.g. http against engine);
                    a compare file stands for its http run
          decode    the decoder alone: prefill time for a 64-token prompt and decode tokens/s per batch size,
                    per precision

        load options (http, engine, compare):
          --concurrency <n>       concurrent streams, each sending its next request when one ends (default 1)
          --requests <n>          requests to measure (default 4 per stream), or
          --duration <time>       keep sending for this long, e.g. 60s or 2m; running requests finish
          --prompt-tokens <n>     prompt length in tokens as the model counts them (default 64); the http
                                  mode sizes a prompt of words until the server's usage.prompt_tokens matches
          --max-tokens <n>        tokens generated per request, end-of-sequence ignored (default 128)
          --temperature <t>       sampling temperature (default 0: greedy)
          --top-p <p>             nucleus sampling, with --temperature above 0
          --top-k <k>             keep the k most likely tokens, with --temperature above 0
          --request-timeout <t>   a request taking longer fails as a stream failure (default 5m)
          --json <file>           write the result as JSON

        http and compare:
          --url <url>             the frontend (default http://localhost:8080)
          --model <id>            the model to ask for (required)
          --api-key <key>         sent as Authorization: Bearer <key>
          --precision <p>         http: labels the results only; compare: what the engine runs (fp32, int8, int4)

        engine and compare:
          --model <id>            e.g. synthetic-smollm2-135m (required)
          --precision <p>         fp32, int8 or int4 (default fp32)
          --threads <n>           ONNX Runtime intra-op threads (default 0: one per core, as the server)
          --Model:<Key> <value>   any other Model option, e.g. --Model:MaxContext 2048 or
                                  --Model:Attention GroupQuery; Model:MaxBatch
                                  defaults to --concurrency

        decode:
          --model <id>            default synthetic-smollm2-135m
          --precisions <list>     default fp32,int8,int4
          --batches <list>        rows decoded together, e.g. 1,16 (default 1)
          --threads <n>           default 2
          --decode-tokens <n>     default 128
          --repeats <n>           default 3 (the median is reported)
          --attention <kernel>    Auto (default), Slot or GroupQuery (Model:Attention)
        """);
    return 2;
}

using OrleansSlm.Engine.Configuration;
using OrleansSlm.Engine.Decoding;
using OrleansSlm.Engine.ModelStore;
using OrleansSlm.Engine.Sampling;
using OrleansSlm.Engine.Scheduling;
using OrleansSlm.Engine.Text;

namespace OrleansSlm.Silo.Commands;

/// <summary>
/// <c>generate --model &lt;id&gt; --prompt &lt;text&gt; [--max-tokens n] [--temperature t] [--seed s] [--precision p]</c>:
/// loads the model (the <c>Model</c> section, overridden by the options) and streams one chat reply to the console.
/// </summary>
internal static class GenerateCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(args.Where((arg, i) => !IsCommandOption(args, i)).ToArray());
        var modelOptions = builder.Configuration.GetSection(ModelOptions.SectionName).Get<ModelOptions>() ?? new ModelOptions();
        string? prompt = null;
        var maxTokens = 64;
        var sampling = new SamplingOptions { Temperature = 0 };
        for (var i = 0; i < args.Length - 1; i++)
        {
            var value = args[i + 1];
            switch (args[i])
            {
                case "--model": modelOptions.Id = value; break;
                case "--prompt": prompt = value; break;
                case "--max-tokens": maxTokens = int.Parse(value); break;
                case "--precision": modelOptions.Precision = Enum.Parse<ModelPrecision>(value, ignoreCase: true); break;
                case "--temperature": sampling = sampling with { Temperature = float.Parse(value) }; break;
                case "--seed": sampling = sampling with { Seed = ulong.Parse(value) }; break;
            }
        }

        using var host = builder.Build();
        var logger = host.Services.GetRequiredService<ILogger<LoadedModel>>();
        if (string.IsNullOrWhiteSpace(prompt))
        {
            logger.LogError("generate needs --prompt \"text\"");
            return 2;
        }

        if (new ModelOptionsValidator().Validate(null, modelOptions) is { Failed: true } invalid)
        {
            logger.LogError("generate: {Failures}", invalid.FailureMessage);
            return 2;
        }

        using var cancellation = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancellation.Cancel();
        };
        try
        {
            using var http = new HttpClient();
            var store = new ModelStore(modelOptions, http, host.Services.GetRequiredService<ILogger<ModelStore>>());
            using var model = await new ModelLoader(modelOptions, logger, store.ResolveAsync).LoadAsync(cancellation.Token);
            var rendered = model.ChatTemplate.Render([new ChatMessage("user", prompt)]);
            var request = new GenerationRequest(model.Tokenizer.Encode(rendered), sampling, maxTokens);
            FinishReason? finish = null;
            using var scheduler = new GenerationScheduler(model, modelOptions, logger);
            await foreach (var chunk in scheduler.GenerateAsync(request, cancellation.Token))
            {
                Console.Write(chunk.Text);
                finish = chunk.FinishReason ?? finish;
            }

            Console.WriteLine();
            logger.LogInformation("Finished: {Reason}{Synthetic}", finish, model.IsSynthetic ? " (synthetic model: the text is noise)" : "");
            return 0;
        }
        catch (Exception exception) when (exception is ModelStoreException or InvalidOperationException or IOException or ArgumentException or NotSupportedException or InvalidDataException)
        {
            logger.LogError("Generation failed: {Message}", exception.Message);
            return 1;
        }
    }

    private static bool IsCommandOption(string[] args, int index)
    {
        string[] own = ["--model", "--prompt", "--max-tokens", "--precision", "--temperature", "--seed"];
        return own.Contains(args[index]) || (index > 0 && own.Contains(args[index - 1]));
    }
}

using Microsoft.Extensions.Configuration;
using OrleansSlm.Engine.Configuration;

namespace OrleansSlm.Bench;

/// <summary>
/// The model options of the engine mode: the <c>Model</c> section's defaults (the same the server starts with),
/// <c>Model:MaxBatch</c> = the number of concurrent streams, then any <c>--Model:Key value</c> option (for example
/// <c>--Model:MaxContext</c>, to match a server configured otherwise), then <c>--model</c>, <c>--precision</c> and
/// <c>--threads</c>.
/// </summary>
internal static class EngineSettings
{
    public static ModelOptions Parse(OptionSet options, LoadProfile profile)
    {
        var model = new ModelOptions { MaxBatch = profile.Concurrency };
        try
        {
            new ConfigurationBuilder().AddInMemoryCollection(options.ModelOverrides).Build()
                .GetSection(ModelOptions.SectionName).Bind(model, binder => binder.ErrorOnUnknownConfiguration = true);
        }
        catch (InvalidOperationException exception)
        {
            throw new ArgumentException($"A --Model:Key option is not a Model option or has a bad value: {exception.Message}", exception);
        }

        model.Id = options.RequiredText("model");
        model.Precision = options.Enum("precision", model.Precision);
        model.Threads = options.Int("threads", model.Threads);
        if (new ModelOptionsValidator().Validate(null, model) is { Failed: true } invalid)
        {
            throw new ArgumentException(invalid.FailureMessage);
        }

        if (profile.PromptTokens + profile.MaxTokens > model.MaxContext)
        {
            throw new ArgumentException(
                $"--prompt-tokens {profile.PromptTokens} plus --max-tokens {profile.MaxTokens} exceed Model:MaxContext {model.MaxContext}; " +
                "raise it with --Model:MaxContext (and the server's Model__MaxContext).");
        }

        return model;
    }
}

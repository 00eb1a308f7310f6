using Microsoft.Extensions.Logging;
using OrleansSlm.Engine.Configuration;
using OrleansSlm.Engine.Decoding;
using OrleansSlm.Engine.Sampling;
using OrleansSlm.Engine.Scheduling;

namespace OrleansSlm.Bench;

/// <summary>
/// The engine alone: the same continuous-batching scheduler a silo runs, called in this process, with no HTTP,
/// no Orleans, no chat template and no tokenizer on the way in. Each prompt is exactly
/// <see cref="LoadProfile.PromptTokens"/> token ids; sampling is the load's (greedy by default) with end-of-sequence
/// ignored, as the HTTP mode asks of the server. The difference between the two modes' numbers is what the stack costs.
/// </summary>
internal sealed class EngineTarget : ILoadTarget
{
    public const string Mode = "engine";

    private readonly LoadedModel _model;
    private readonly ModelOptions _options;
    private readonly LoadProfile _profile;
    private readonly GenerationScheduler _scheduler;
    private readonly SamplingOptions _sampling;

    private EngineTarget(LoadedModel model, ModelOptions options, LoadProfile profile, ILogger logger)
    {
        _model = model;
        _options = options;
        _profile = profile;
        _sampling = new SamplingOptions { Temperature = profile.Temperature, TopP = profile.TopP ?? 1, TopK = profile.TopK ?? 0 };
        _scheduler = new GenerationScheduler(model, options, logger, Mode);
    }

    public static async Task<EngineTarget> LoadAsync(ModelOptions options, LoadProfile profile, ILogger logger, CancellationToken cancellationToken)
    {
        var model = await new ModelLoader(options, logger).LoadAsync(cancellationToken);
        try
        {
            return new EngineTarget(model, options, profile, logger);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    public async Task<RunDescription> PrepareAsync(CancellationToken cancellationToken)
    {
        var warmUp = await SendAsync(0, cancellationToken);
        if (!warmUp.Succeeded)
        {
            throw new InvalidOperationException($"The warm-up request failed ({warmUp.Error}): {warmUp.ErrorDetail}");
        }

        return RunDescription.Create(
            Mode, _model.Id, _options.Precision.ToString().ToLowerInvariant(), $"{nameof(GenerationScheduler)} in process", _options.Threads,
            _scheduler.Slots, $"{_profile.PromptTokens} token ids", _profile);
    }

    public async Task<RequestOutcome> SendAsync(int index, CancellationToken cancellationToken)
    {
        var timeline = new TokenTimeline();
        var tokens = 0;
        try
        {
            await foreach (var chunk in _scheduler.GenerateAsync(new GenerationRequest(Prompt(index), _sampling, _profile.MaxTokens, IgnoreEos: true), cancellationToken))
            {
                if (chunk.TokenId is not null)
                {
                    tokens++;
                }

                if (chunk.Text.Length > 0)
                {
                    timeline.TextArrived();
                }
            }

            return timeline.Succeeded(tokens, _profile.PromptTokens);
        }
        catch (EngineOverloadedException exception)
        {
            return timeline.Failed(RequestError.ServiceUnavailable, exception.Message);
        }
        catch (Exception exception) when (exception is InvalidOperationException or ObjectDisposedException)
        {
            return timeline.Failed(RequestError.StreamFailed, exception.Message);
        }
    }

    public void Dispose()
    {
        _scheduler.Dispose();
        _model.Dispose();
    }

    /// <summary>Token ids spread over the vocabulary (past the first few, where special tokens live), shifted per request so that no two prompts are alike.</summary>
    private int[] Prompt(int index)
    {
        const int firstOrdinaryId = 3;
        var span = _model.Decoder.Description.VocabSize - firstOrdinaryId;
        return Enumerable.Range(0, _profile.PromptTokens).Select(i => firstOrdinaryId + (int)((((long)i + index) * 7919) % span)).ToArray();
    }
}

using Microsoft.Extensions.Options;

namespace OrleansSlm.Engine.Configuration;

/// <summary>Checks the <c>Model</c> section before a model is loaded; each failure names its key.</summary>
public sealed class ModelOptionsValidator : IValidateOptions<ModelOptions>
{
    public ValidateOptionsResult Validate(string? name, ModelOptions options)
    {
        var failures = new List<string>();
        void AtLeast(string key, long value, long minimum)
        {
            if (value < minimum)
            {
                failures.Add($"Model:{key} must be at least {minimum}; got {value}.");
            }
        }

        if (string.IsNullOrWhiteSpace(options.Id))
        {
            failures.Add("Model:Id must name a model: a local directory, a Hugging Face id or a synthetic model.");
        }

        AtLeast(nameof(options.Threads), options.Threads, 0);
        AtLeast(nameof(options.MaxContext), options.MaxContext, 2);
        AtLeast(nameof(options.MaxBatch), options.MaxBatch, 1);
        AtLeast(nameof(options.MaxQueue), options.MaxQueue, 0);
        AtLeast(nameof(options.PrefillChunk), options.PrefillChunk, 1);
        AtLeast(nameof(options.DrainSeconds), options.DrainSeconds, 0);
        if (options is { Attention: AttentionKernel.Slot, Device: ModelDevice.Cuda })
        {
            failures.Add("Model:Attention 'Slot' is a CPU kernel; on Model:Device 'cuda' use 'GroupQuery' or 'Auto'.");
        }

        if (!string.IsNullOrWhiteSpace(options.MirrorUrl) && !Uri.TryCreate(options.MirrorUrl, UriKind.Absolute, out _))
        {
            failures.Add($"Model:MirrorUrl '{options.MirrorUrl}' is not an absolute URL.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

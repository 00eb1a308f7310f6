using Microsoft.ML.OnnxRuntime;
using OrleansSlm.Engine.Models;

namespace OrleansSlm.Engine.Decoding;

/// <summary>
/// Runs a Hugging Face / Optimum export as it expects to be fed: <c>input_ids</c>, <c>attention_mask</c> over past
/// and new tokens, <c>position_ids</c> when the graph has them, and <c>past_key_values.{i}.key|value</c>
/// [batch, kv_heads, past, head_dim] (empty at first), each run's <c>present.*</c> becoming the next run's past.
/// </summary>
public sealed class ExportLayoutDecoder : IDecoder
{
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();

    public ExportLayoutDecoder(InferenceSession session, ModelDescription description, int maxSequenceLength)
    {
        _session = session;
        Description = description;
        MaxSequenceLength = maxSequenceLength;
        var inputs = session.InputMetadata.Keys.ToHashSet();
        foreach (var required in new[] { GraphNames.InputIds, GraphNames.AttentionMask, GraphNames.PastKey(0) })
        {
            if (!inputs.Contains(required))
            {
                throw new InvalidDataException(
                    $"The ONNX graph has no input '{required}'; the export layout needs input_ids, attention_mask and past_key_values.*. " +
                    "Export the model with its KV cache (Optimum: --task text-generation-with-past).");
            }
        }

        HasPositionIds = inputs.Contains(GraphNames.PositionIds);
        Layers = inputs.Count(name => name.StartsWith("past_key_values.", StringComparison.Ordinal) && name.EndsWith(".key", StringComparison.Ordinal));
        if (Layers != description.Layers)
        {
            throw new InvalidDataException($"The ONNX graph has {Layers} layers of KV cache; config.json says {description.Layers}.");
        }
    }

    public ModelDescription Description { get; }

    public int MaxSequenceLength { get; }

    internal bool HasPositionIds { get; }

    internal int Layers { get; }

    public IDecoderSequence StartSequence() => new ExportLayoutSequence(this);

    internal IDisposableReadOnlyCollection<OrtValue> Run(ReadOnlySpan<int> tokens, int pastLength, IReadOnlyList<OrtValue>? past)
    {
        var total = pastLength + tokens.Length;
        if (total > MaxSequenceLength)
        {
            throw new InvalidOperationException($"The sequence would hold {total} tokens; the context holds {MaxSequenceLength} (Model:MaxContext).");
        }

        var names = new List<string>();
        var values = new List<OrtValue>();
        var owned = new List<OrtValue>();
        void Add(string name, OrtValue value, bool own)
        {
            names.Add(name);
            values.Add(value);
            if (own)
            {
                owned.Add(value);
            }
        }

        try
        {
            var ids = new long[tokens.Length];
            var positions = new long[tokens.Length];
            for (var i = 0; i < tokens.Length; i++)
            {
                ids[i] = tokens[i];
                positions[i] = pastLength + i;
            }

            Add(GraphNames.InputIds, OrtValue.CreateTensorValueFromMemory(ids, [1, tokens.Length]), own: true);
            Add(GraphNames.AttentionMask, OrtValue.CreateTensorValueFromMemory(Enumerable.Repeat(1L, total).ToArray(), [1, total]), own: true);
            if (HasPositionIds)
            {
                Add(GraphNames.PositionIds, OrtValue.CreateTensorValueFromMemory(positions, [1, tokens.Length]), own: true);
            }

            for (var layer = 0; layer < Layers; layer++)
            {
                if (past is null)
                {
                    long[] empty = [1, Description.KvHeads, 0, Description.HeadDim];
                    Add(GraphNames.PastKey(layer), OrtValue.CreateTensorValueFromMemory(Array.Empty<float>(), empty), own: true);
                    Add(GraphNames.PastValue(layer), OrtValue.CreateTensorValueFromMemory(Array.Empty<float>(), empty), own: true);
                }
                else
                {
                    Add(GraphNames.PastKey(layer), past[1 + 2 * layer], own: false);
                    Add(GraphNames.PastValue(layer), past[2 + 2 * layer], own: false);
                }
            }

            var outputs = new List<string> { GraphNames.Logits };
            for (var layer = 0; layer < Layers; layer++)
            {
                outputs.Add(GraphNames.PresentKey(layer));
                outputs.Add(GraphNames.PresentValue(layer));
            }

            return _session.Run(_runOptions, names, values, outputs);
        }
        finally
        {
            foreach (var value in owned)
            {
                value.Dispose();
            }
        }
    }

    public void Dispose()
    {
        _session.Dispose();
        _runOptions.Dispose();
    }
}

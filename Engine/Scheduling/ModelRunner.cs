using Microsoft.Extensions.Logging;
using OrleansSlm.Engine.Decoding;

namespace OrleansSlm.Engine.Scheduling;

/// <summary>
/// Executes a step's plan on the decoder in two phases: <see cref="RunPrefills"/> starts the admitted rows' KV cache
/// sequences and runs each prefill chunk; <see cref="RunDecodes"/> runs one batched decode for every decoding row.
/// The scheduler updates the prefill phase's rows before the decode runs, so a new request's first token does not
/// wait for the batch. Logits go into one buffer of [slots, vocab] that the runner owns and reuses every step
/// (a step runs each row at most once, so its rows fit): prefill rows first, decode rows after them. A run that
/// throws fails the rows it ran and no others.
/// </summary>
internal sealed class ModelRunner
{
    private readonly IDecoder _decoder;
    private readonly InferenceMetrics _metrics;
    private readonly ILogger _logger;
    private readonly int _vocabSize;
    private readonly float[] _logits;
    private readonly int[] _tokens;
    private readonly List<IDecoderSequence> _sequences;

    public ModelRunner(IDecoder decoder, int slots, InferenceMetrics metrics, ILogger logger)
    {
        _decoder = decoder;
        _metrics = metrics;
        _logger = logger;
        _vocabSize = decoder.Description.VocabSize;
        _logits = new float[slots * _vocabSize];
        _tokens = new int[slots];
        _sequences = new List<IDecoderSequence>(slots);
    }

    /// <summary>Admits the plan's new rows and runs its prefill chunks, one model run each, into logits rows 0, 1, ….</summary>
    public StepOutput RunPrefills(StepPlan plan)
    {
        var output = new StepOutput(_logits, _vocabSize);
        var unadmitted = Admit(plan.Admitted, output);
        var logitsRow = 0;
        foreach (var work in plan.Prefills)
        {
            if (unadmitted?.Contains(work.Row) != true)
            {
                Prefill(work, logitsRow++, output);
            }
        }

        return output;
    }

    /// <summary>Runs the plan's decoding rows in one batched run, into the logits rows after the prefill rows.</summary>
    public StepOutput RunDecodes(StepPlan plan)
    {
        var output = new StepOutput(_logits, _vocabSize);
        Decode(plan.Decodes, firstLogitsRow: plan.Prefills.Count, output);
        return output;
    }

    /// <summary>Packs the live sequences into consecutive slots after rows retired; call it between steps only.</summary>
    public void Compact() => _decoder.Compact();

    private HashSet<ScheduledRequest>? Admit(IReadOnlyList<ScheduledRequest> admitted, StepOutput output)
    {
        HashSet<ScheduledRequest>? failed = null;
        foreach (var request in admitted)
        {
            try
            {
                request.Admit(_decoder.StartSequence());
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                (failed ??= []).Add(request);
                output.Add(new RowOutput(request, null, Failed(exception, rows: 1)));
            }
        }

        return failed;
    }

    private void Decode(IReadOnlyList<ScheduledRequest> rows, int firstLogitsRow, StepOutput output)
    {
        if (rows.Count == 0)
        {
            return;
        }

        _sequences.Clear();
        for (var row = 0; row < rows.Count; row++)
        {
            _sequences.Add(rows[row].Sequence!);
            _tokens[row] = rows[row].NextToken;
        }

        try
        {
            output.Runs++;
            _decoder.DecodeBatch(_sequences, _tokens.AsSpan(0, rows.Count), _logits.AsMemory(firstLogitsRow * _vocabSize, rows.Count * _vocabSize));
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            var error = Failed(exception, rows.Count);
            foreach (var row in rows)
            {
                output.Add(new RowOutput(row, null, error));
            }

            return;
        }

        for (var row = 0; row < rows.Count; row++)
        {
            rows[row].Advance(1);
            output.Add(new RowOutput(rows[row], firstLogitsRow + row));
        }
    }

    private void Prefill(PrefillWork work, int logitsRow, StepOutput output)
    {
        var row = work.Row;
        try
        {
            output.Runs++;
            row.Sequence!.Append(row.PromptAfterCache(work.Tokens), _logits.AsMemory(logitsRow * _vocabSize, _vocabSize));
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            output.Add(new RowOutput(row, null, Failed(exception, rows: 1)));
            return;
        }

        row.Advance(work.Tokens);
        _metrics.Prefilled(work.Tokens);
        output.Add(new RowOutput(row, row.IsPrefilled ? logitsRow : null));
    }

    private InvalidOperationException Failed(Exception exception, int rows)
    {
        _logger.LogError(exception, "A model run failed; failing the {Count} requests it ran", rows);
        return new InvalidOperationException($"The model failed while generating: {exception.Message}", exception);
    }
}

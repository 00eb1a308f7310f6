using Microsoft.Extensions.Logging;
using OrleansSlm.Engine.Decoding;

namespace OrleansSlm.Engine.Scheduling;

/// <summary>
/// Executes a step's plan on the decoder, one model run at a time: <see cref="Admit"/> starts the admitted rows' KV
/// cache sequences, <see cref="RunPrefill"/> runs one prefill chunk, <see cref="RunDecodes"/> one batched decode for
/// every decoding row. The scheduler updates each run's rows before the next run, so a new request's first token
/// goes out as soon as its prompt is in, and a row whose prompt just completed decodes its second token in the same
/// step. Logits go into one buffer of [slots, vocab] that the runner owns and reuses: a run holds at most one row per
/// slot, and its logits are read before the next run writes over them. A run that throws fails the rows it ran and
/// no others.
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
    private readonly List<ScheduledRequest> _decoding;

    public ModelRunner(IDecoder decoder, int slots, InferenceMetrics metrics, ILogger logger)
    {
        _decoder = decoder;
        _metrics = metrics;
        _logger = logger;
        _vocabSize = decoder.Description.VocabSize;
        _logits = new float[slots * _vocabSize];
        _tokens = new int[slots];
        _sequences = new List<IDecoderSequence>(slots);
        _decoding = new List<ScheduledRequest>(slots);
    }

    /// <summary>Starts a KV cache sequence for each of the plan's admitted rows; a row that cannot get one fails, in the output.</summary>
    public StepOutput Admit(StepPlan plan)
    {
        var output = new StepOutput(_logits, _vocabSize);
        foreach (var request in plan.Admitted)
        {
            try
            {
                request.Admit(_decoder.StartSequence());
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                output.Add(new RowOutput(request, null, Failed(exception, rows: 1)));
            }
        }

        return output;
    }

    /// <summary>
    /// Runs one prefill chunk (nothing for a row that already ended, such as one whose admission failed). Its logits
    /// are valid until the next run: the scheduler updates the row at once, so its first token goes out before the
    /// other chunks and the batch run.
    /// </summary>
    public StepOutput RunPrefill(PrefillWork work)
    {
        var output = new StepOutput(_logits, _vocabSize);
        if (!work.Row.IsFinished)
        {
            Prefill(work, logitsRow: 0, output);
        }

        return output;
    }

    /// <summary>
    /// Runs the plan's decoding rows that are still live (a prefill may have ended or failed some) in one batched
    /// run. Call it once the prefills' outputs have been read: it writes over their logits.
    /// </summary>
    public StepOutput RunDecodes(StepPlan plan)
    {
        var output = new StepOutput(_logits, _vocabSize);
        _decoding.Clear();
        foreach (var row in plan.Decodes)
        {
            if (!row.IsFinished)
            {
                _decoding.Add(row);
            }
        }

        Decode(_decoding, output);
        return output;
    }

    /// <summary>Packs the live sequences into consecutive slots after rows retired; call it between steps only.</summary>
    public void Compact() => _decoder.Compact();

    private void Decode(List<ScheduledRequest> rows, StepOutput output)
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
            _decoder.DecodeBatch(_sequences, _tokens.AsSpan(0, rows.Count), _logits.AsMemory(0, rows.Count * _vocabSize));
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
            output.Add(new RowOutput(rows[row], row));
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

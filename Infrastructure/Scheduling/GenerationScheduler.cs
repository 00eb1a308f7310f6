using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using OrleansSlm.Infrastructure.Configuration;
using OrleansSlm.Infrastructure.Engine;

namespace OrleansSlm.Infrastructure.Scheduling;

/// <summary>
/// Continuous batching for one model: a bounded waiting queue in front of a fixed number of KV cache slots. Each step
/// cancels what was cancelled, admits waiting requests into free slots and prefills at most
/// <c>Model:PrefillChunk</c> prompt tokens, then runs one batched decode step for every request past its prompt,
/// samples each row with its own settings, streams each token to its caller and frees the slots of rows that ended.
/// One thread owns the model; callers only enqueue and read their own channel.
/// </summary>
public sealed class GenerationScheduler : IDisposable
{
    private static readonly TimeSpan IdleWait = TimeSpan.FromSeconds(1);

    private readonly LoadedModel _model;
    private readonly ILogger _logger;
    private readonly InferenceMetrics _metrics;
    private readonly Queue<ScheduledRequest> _waiting = new();
    private readonly List<ScheduledRequest> _running = [];
    private readonly Lock _queueLock = new();
    private readonly SemaphoreSlim _wake = new(0);
    private readonly Thread _loop;
    private readonly int _maxWaiting;
    private readonly int _prefillChunk;
    private readonly int _capacity;

    /// <summary>One decode step's logits, [rows, vocab], reused from step to step by the loop that owns the model.</summary>
    private readonly float[] _logits;
    private volatile bool _stopping;
    private int _runningCount;
    private long _steps;

    public GenerationScheduler(LoadedModel model, ModelOptions options, ILogger logger, string role = "")
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxBatch, 1, "Model:MaxBatch");
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxQueue, 0, "Model:MaxQueue");
        ArgumentOutOfRangeException.ThrowIfLessThan(options.PrefillChunk, 1, "Model:PrefillChunk");
        _model = model;
        _logger = logger;
        _metrics = new InferenceMetrics(model.Id, role);
        Slots = Math.Min(options.MaxBatch, model.Decoder.Slots);
        _maxWaiting = options.MaxQueue;
        _prefillChunk = options.PrefillChunk;
        _capacity = model.Decoder.MaxSequenceLength;
        _logits = new float[Slots * model.Decoder.Description.VocabSize];
        _metrics.SlotsAdded(Slots);
        _loop = new Thread(Loop) { IsBackground = true, Name = $"scheduler {model.Id}" };
        _loop.Start();
    }

    public LoadedModel Model => _model;

    public int Slots { get; }

    /// <summary>Token totals and recent latencies, as the scheduler's instruments record them.</summary>
    public InferenceSummary Summary => _metrics.Summary;

    /// <summary>Batched model runs so far (prefill chunks and decode steps).</summary>
    public long Steps => Interlocked.Read(ref _steps);

    public SchedulerStatus Status
    {
        get
        {
            lock (_queueLock)
            {
                return new SchedulerStatus(Slots, Volatile.Read(ref _runningCount), _waiting.Count, _maxWaiting);
            }
        }
    }

    /// <summary>
    /// Queues a request and streams its output. Bad requests throw <see cref="ArgumentException"/> and a full queue
    /// throws <see cref="EngineOverloadedException"/> here, before anything is streamed. Cancelling the token, or
    /// abandoning the enumeration, frees the request's slot at the next step; the stream then ends with a
    /// <see cref="Sampling.FinishReason.Cancelled"/> chunk.
    /// </summary>
    public IAsyncEnumerable<GeneratedChunk> GenerateAsync(GenerationRequest request, CancellationToken cancellationToken = default)
    {
        Validate(request);
        ObjectDisposedException.ThrowIf(_stopping, this);
        var scheduled = new ScheduledRequest(request, _model.Tokenizer, _model.Decoder.Description.EosTokenIds);
        lock (_queueLock)
        {
            if (_waiting.Count >= _maxWaiting && _waiting.Count + Volatile.Read(ref _runningCount) >= Slots)
            {
                _metrics.RejectedFull();
                throw new EngineOverloadedException(_waiting.Count, TimeSpan.FromSeconds(1 + (_waiting.Count / Math.Max(1, Slots))));
            }

            _waiting.Enqueue(scheduled);
            _metrics.Enqueued();
        }

        _wake.Release();
        return Stream(scheduled, cancellationToken);
    }

    public void Dispose()
    {
        if (_stopping)
        {
            return;
        }

        _stopping = true;
        _wake.Release();
        _loop.Join();
        _wake.Dispose();
    }

    private async IAsyncEnumerable<GeneratedChunk> Stream(ScheduledRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var registration = cancellationToken.Register(() => CancelRequest(request));
        var completed = false;
        try
        {
            await foreach (var chunk in request.Output.ReadAllAsync(CancellationToken.None))
            {
                completed = chunk.FinishReason is not null;
                yield return chunk;
            }
        }
        finally
        {
            if (!completed)
            {
                CancelRequest(request);
            }
        }
    }

    private void CancelRequest(ScheduledRequest request)
    {
        request.Cancel();
        if (!_stopping)
        {
            _wake.Release();
        }
    }

    private void Loop()
    {
        while (!_stopping)
        {
            try
            {
                if (!Step())
                {
                    _wake.Wait(IdleWait);
                }
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                _logger.LogError(exception, "A model step failed; failing the {Count} requests it ran", _running.Count);
                foreach (var request in _running)
                {
                    request.Fail(new InvalidOperationException($"The model failed while generating: {exception.Message}", exception));
                    Retire(request, "error");
                }

                _running.Clear();
                _model.Decoder.Compact();
            }
        }

        var stopped = new ObjectDisposedException(nameof(GenerationScheduler), "The model is shutting down.");
        lock (_queueLock)
        {
            foreach (var request in _running.Concat(_waiting))
            {
                request.Fail(stopped);
                request.ReleaseSlot();
            }

            _running.Clear();
            _waiting.Clear();
        }
    }

    /// <summary>One scheduler step; false when there was nothing to do.</summary>
    private bool Step()
    {
        DropCancelled();
        var budget = _prefillChunk;
        var worked = false;
        foreach (var request in _running)
        {
            if (budget == 0)
            {
                break;
            }

            if (!request.IsPrefilled)
            {
                budget -= Prefill(request, budget);
                worked = true;
            }
        }

        while (budget > 0 && _running.Count < Slots && TryAdmit() is { } admitted)
        {
            budget -= Prefill(admitted, budget);
            worked = true;
        }

        var decoding = _running.Where(request => request.IsPrefilled && !request.IsFinished).ToArray();
        if (decoding.Length > 0)
        {
            Decode(decoding);
            worked = true;
        }

        RetireFinished();
        return worked;
    }

    private int Prefill(ScheduledRequest request, int budget)
    {
        var (logits, tokens) = request.PrefillChunk(budget);
        Interlocked.Increment(ref _steps);
        _metrics.Prefilled(tokens);
        if (logits is not null)
        {
            request.Accept(logits, _capacity, _metrics);
        }

        return tokens;
    }

    private void Decode(ScheduledRequest[] rows)
    {
        var tokens = rows.Select(row => row.NextToken).ToArray();
        _model.Decoder.DecodeBatch(rows.Select(row => row.Sequence!).ToArray(), tokens, _logits);
        Interlocked.Increment(ref _steps);
        var vocab = _model.Decoder.Description.VocabSize;
        for (var row = 0; row < rows.Length; row++)
        {
            rows[row].Accept(_logits.AsSpan(row * vocab, vocab), _capacity, _metrics);
        }
    }

    private ScheduledRequest? TryAdmit()
    {
        lock (_queueLock)
        {
            while (_waiting.TryDequeue(out var request))
            {
                _metrics.Dequeued();
                if (request.IsCancelled)
                {
                    request.EndCancelled();
                    _metrics.Retired(Sampling.FinishReason.Cancelled, request.SinceArrival, admitted: false);
                    continue;
                }

                request.Admit(_model.Decoder.StartSequence());
                _running.Add(request);
                Interlocked.Increment(ref _runningCount);
                _metrics.Admitted(request.SinceArrival);
                return request;
            }

            return null;
        }
    }

    private void DropCancelled()
    {
        foreach (var request in _running.Where(request => request.IsCancelled && !request.IsFinished))
        {
            request.EndCancelled();
        }

        RetireFinished();
        lock (_queueLock)
        {
            if (!_waiting.Any(request => request.IsCancelled))
            {
                return;
            }

            var kept = _waiting.Where(request => !request.IsCancelled).ToArray();
            foreach (var request in _waiting.Where(request => request.IsCancelled))
            {
                request.EndCancelled();
                _metrics.Dequeued();
                _metrics.Retired(Sampling.FinishReason.Cancelled, request.SinceArrival, admitted: false);
            }

            _waiting.Clear();
            foreach (var request in kept)
            {
                _waiting.Enqueue(request);
            }
        }
    }

    private void RetireFinished()
    {
        var finished = _running.Where(request => request.IsFinished).ToArray();
        if (finished.Length == 0)
        {
            return;
        }

        foreach (var request in finished)
        {
            _running.Remove(request);
            Retire(request, request.Finish?.ToString().ToLowerInvariant() ?? "error");
        }

        _model.Decoder.Compact();
    }

    private void Retire(ScheduledRequest request, string reason)
    {
        request.ReleaseSlot();
        Interlocked.Decrement(ref _runningCount);
        _metrics.Retired(reason, request.SinceArrival, admitted: true);
    }

    private void Validate(GenerationRequest request)
    {
        request.Sampling.Validate();
        if (request.PromptTokens.Count == 0)
        {
            throw new ArgumentException("The prompt has no tokens.", nameof(request));
        }

        if (request.MaxTokens < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(request), request.MaxTokens, "max_tokens must be at least 1.");
        }

        if (request.PromptTokens.Count >= _capacity)
        {
            throw new ArgumentException(
                $"The prompt has {request.PromptTokens.Count} tokens; the context holds {_capacity} (Model:MaxContext).", nameof(request));
        }

        var vocabulary = _model.Decoder.Description.VocabSize;
        if (request.PromptTokens.Any(id => id < 0 || id >= vocabulary))
        {
            throw new ArgumentException($"A prompt token id is outside the vocabulary of {vocabulary}.", nameof(request));
        }
    }
}

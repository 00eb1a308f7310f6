using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using OrleansSlm.Engine.Configuration;
using OrleansSlm.Engine.Decoding;
using OrleansSlm.Engine.Sampling;

namespace OrleansSlm.Engine.Scheduling;

/// <summary>
/// Continuous batching for one model: a bounded waiting queue in front of a fixed number of KV cache slots, and one
/// thread that owns the model. Each step has three parts, as in vLLM's engine core: the <see cref="StepPlanner"/>
/// decides which rows prefill how many tokens, which decode, which requests are admitted and which end as
/// cancelled; the <see cref="ModelRunner"/> runs that plan on the decoder (prefill chunks, then the batched decode);
/// the <see cref="StepUpdater"/> samples each row, streams its chunk and frees the slots of rows that ended. Each run's
/// rows are updated before the next run, so a first token does not wait for the rest of the step. Callers only
/// enqueue and read their own channel.
/// </summary>
public sealed class GenerationScheduler : IDisposable
{
    private static readonly TimeSpan IdleWait = TimeSpan.FromSeconds(1);

    private readonly LoadedModel _model;
    private readonly ILogger _logger;
    private readonly InferenceMetrics _metrics;
    private readonly RequestQueue _queue;
    private readonly StepPlanner _planner;
    private readonly ModelRunner _runner;
    private readonly StepUpdater _updater;
    private readonly List<ScheduledRequest> _running = [];
    private readonly List<ScheduledRequest> _ended = [];
    private readonly SemaphoreSlim _wake = new(0);
    private readonly Thread _loop;
    private readonly ITokenSamplerFactory _samplers;
    private readonly int _capacity;
    private volatile bool _stopping;
    private int _runningCount;
    private long _steps;

    /// <summary>
    /// Starts the scheduler's thread. <paramref name="options"/> is the validated <c>Model</c> section
    /// (<see cref="ModelOptionsValidator"/>): its batch, queue and prefill settings shape the schedule.
    /// </summary>
    public GenerationScheduler(LoadedModel model, ModelOptions options, ILogger logger, string role = "", ITokenSamplerFactory? samplers = null)
    {
        _model = model;
        _samplers = samplers ?? SamplerFactory.Instance;
        _logger = logger;
        _metrics = new InferenceMetrics(model.Id, role);
        Slots = Math.Min(options.MaxBatch, model.Decoder.Slots);
        _capacity = model.Decoder.MaxSequenceLength;
        _queue = new RequestQueue(options.MaxQueue, _metrics);
        _planner = new StepPlanner(Slots, options.PrefillChunk);
        _runner = new ModelRunner(model.Decoder, Slots, _metrics, logger);
        _updater = new StepUpdater(_capacity, _metrics, logger);
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

    public SchedulerStatus Status => new(Slots, Volatile.Read(ref _runningCount), _queue.Count, _queue.MaxWaiting);

    /// <summary>
    /// Queues a request and streams its output. Bad requests throw <see cref="ArgumentException"/> and a full queue
    /// throws <see cref="EngineOverloadedException"/> here, before anything is streamed. Cancelling the token, or
    /// abandoning the enumeration, frees the request's slot at the next step; the stream then ends with a
    /// <see cref="FinishReason.Cancelled"/> chunk. A request that fails ends its stream with the error.
    /// </summary>
    public IAsyncEnumerable<GeneratedChunk> GenerateAsync(GenerationRequest request, CancellationToken cancellationToken = default)
    {
        Validate(request);
        var scheduled = new ScheduledRequest(request, _samplers.Create(request.Sampling), _model.Tokenizer, _model.Decoder.Description.EosTokenIds);
        _queue.Enqueue(scheduled, Volatile.Read(ref _runningCount), Slots);
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
        _metrics.SlotsAdded(-Slots);
        // The semaphore is not disposed: a caller racing the stop may still release it, and a SemaphoreSlim whose wait
        // handle was never asked for holds nothing to free.
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
                // The runner and the updater contain every failure of a model run or of one row; reaching here is a
                // fault of the loop itself, after which no running row's state can be trusted. Waiting requests are
                // untouched and the loop carries on.
                _logger.LogError(exception, "A scheduler step failed outside any model run; failing the {Count} running requests", _running.Count);
                FailRunning(new InvalidOperationException($"The scheduler failed: {exception.Message}", exception));
            }
        }

        var stopped = new ObjectDisposedException(nameof(GenerationScheduler), "The model is shutting down.");
        FailRunning(stopped);
        foreach (var request in _queue.Close())
        {
            request.Fail(stopped);
            _metrics.Retired(FinishReason.Error, request.SinceArrival, admitted: false);
        }
    }

    /// <summary>Plans, runs and updates one step; false when there was nothing to do.</summary>
    private bool Step()
    {
        var plan = _queue.Plan(_planner, _running);
        if (plan.IsEmpty)
        {
            return false;
        }

        _updater.Drop(plan);

        foreach (var request in plan.Admitted)
        {
            _running.Add(request);
            Interlocked.Increment(ref _runningCount);
            _metrics.Admitted(request.SinceArrival);
        }

        _ended.Clear();
        _updater.Apply(_runner.Admit(plan), _ended);
        // Each run's rows are updated before the next run: a new request's first token goes out as soon as its prompt
        // is in, not after the other prompts and the batch.
        foreach (var work in plan.Prefills)
        {
            Update(_runner.RunPrefill(work));
        }

        Update(_runner.RunDecodes(plan));
        _updater.Finish(plan, _ended);
        if (_ended.Count > 0)
        {
            _running.RemoveAll(_ended.Contains);
            Interlocked.Add(ref _runningCount, -_ended.Count);
            _runner.Compact();
        }

        return true;
    }

    private void Update(StepOutput output)
    {
        Interlocked.Add(ref _steps, output.Runs);
        _updater.Apply(output, _ended);
    }

    private void FailRunning(Exception error)
    {
        foreach (var request in _running)
        {
            if (!request.IsFinished)
            {
                request.Fail(error);
            }

            _updater.Retire(request);
        }

        Interlocked.Add(ref _runningCount, -_running.Count);
        _running.Clear();
        _runner.Compact();
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

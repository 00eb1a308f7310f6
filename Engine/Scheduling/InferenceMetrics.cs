using System.Diagnostics;
using System.Diagnostics.Metrics;
using OrleansSlm.Engine.Sampling;

namespace OrleansSlm.Engine.Scheduling;

/// <summary>
/// The scheduler's instruments (meter <c>OrleansSlm.Inference</c>), the numbers vLLM's <c>/metrics</c> gives an
/// operator: requests running and waiting, slots, queue time, time to first token, inter-token and end-to-end latency,
/// prompt and generated tokens. Every measurement carries the model and the silo's role.
/// </summary>
public sealed class InferenceMetrics
{
    public const string MeterName = "OrleansSlm.Inference";

    private static readonly Meter Meter = new(MeterName, typeof(InferenceMetrics).Assembly.GetName().Version?.ToString());

    private static readonly IReadOnlyList<double> LatencyBuckets =
        [0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.15, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 20, 40, 80];

    private static readonly UpDownCounter<long> Running = Meter.CreateUpDownCounter<long>(
        "orleansslm.inference.requests_running", "{request}", "Requests holding a KV cache slot.");

    private static readonly UpDownCounter<long> Waiting = Meter.CreateUpDownCounter<long>(
        "orleansslm.inference.requests_waiting", "{request}", "Requests queued for a KV cache slot.");

    private static readonly UpDownCounter<long> Slots = Meter.CreateUpDownCounter<long>(
        "orleansslm.inference.kv_slots", "{slot}", "KV cache slots (Model:MaxBatch).");

    private static readonly Counter<long> PromptTokens = Meter.CreateCounter<long>(
        "orleansslm.inference.prompt_tokens", "{token}", "Prompt tokens prefilled.");

    private static readonly Counter<long> GeneratedTokens = Meter.CreateCounter<long>(
        "orleansslm.inference.generated_tokens", "{token}", "Tokens generated.");

    private static readonly Counter<long> Finished = Meter.CreateCounter<long>(
        "orleansslm.inference.requests_finished", "{request}", "Requests ended, by finish reason.");

    private static readonly Counter<long> Rejected = Meter.CreateCounter<long>(
        "orleansslm.inference.requests_rejected", "{request}", "Requests turned away because the queue was full.");

    private static readonly Histogram<double> QueueTime = Latency("orleansslm.inference.queue_time", "Time from arrival to a KV cache slot.");

    private static readonly Histogram<double> TimeToFirstToken = Latency("orleansslm.inference.time_to_first_token", "Time from arrival to the first generated token.");

    private static readonly Histogram<double> InterTokenLatency = Latency("orleansslm.inference.inter_token_latency", "Time between two generated tokens of one request.");

    private static readonly Histogram<double> RequestDuration = Latency("orleansslm.inference.request_duration", "Time from arrival to the last token.");

    private readonly TagList _tags;

    public InferenceMetrics(string model, string role)
    {
        _tags = new TagList { { "model", model }, { "role", role } };
    }

    public InferenceSummary Summary { get; } = new();

    internal void SlotsAdded(int slots) => Slots.Add(slots, _tags);

    internal void Enqueued() => Waiting.Add(1, _tags);

    internal void Dequeued() => Waiting.Add(-1, _tags);

    internal void Admitted(TimeSpan queued)
    {
        Running.Add(1, _tags);
        QueueTime.Record(queued.TotalSeconds, _tags);
        Summary.QueueTime.Record(queued);
    }

    internal void Prefilled(int tokens)
    {
        PromptTokens.Add(tokens, _tags);
        Summary.Prefilled(tokens);
    }

    internal void TokenGenerated(TimeSpan sinceArrival, TimeSpan? sincePreviousToken)
    {
        GeneratedTokens.Add(1, _tags);
        Summary.TokenGenerated();
        if (sincePreviousToken is { } gap)
        {
            InterTokenLatency.Record(gap.TotalSeconds, _tags);
            Summary.InterTokenLatency.Record(gap);
        }
        else
        {
            TimeToFirstToken.Record(sinceArrival.TotalSeconds, _tags);
            Summary.TimeToFirstToken.Record(sinceArrival);
        }
    }

    internal void Retired(FinishReason reason, TimeSpan sinceArrival, bool admitted)
    {
        if (admitted)
        {
            Running.Add(-1, _tags);
        }

        var tags = _tags;
        tags.Add("finish_reason", reason.WireName());
        Finished.Add(1, tags);
        RequestDuration.Record(sinceArrival.TotalSeconds, _tags);
        Summary.Finished();
        Summary.RequestDuration.Record(sinceArrival);
    }

    internal void RejectedFull()
    {
        Rejected.Add(1, _tags);
        Summary.Rejected();
    }

    private static Histogram<double> Latency(string name, string description) =>
        Meter.CreateHistogram(name, "s", description, tags: null, new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets });
}

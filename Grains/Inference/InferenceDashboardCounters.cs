using System.Diagnostics.Metrics;
using OrleansSlm.Engine.Scheduling;
using OrleansSlm.ServiceDefaults.Observability;

namespace OrleansSlm.Grains.Inference;

/// <summary>
/// The scheduler's numbers as silo counters on the Orleans Dashboard. The dashboard shows only the instruments of
/// Orleans' own meter instance, so these observable instruments are created on it and read the silo's scheduler each
/// time the dashboard samples (every second: a counter's delta there is a rate per second, a latency is the mean over
/// the latest second that measured one). <c>/metrics</c> leaves them out; it exports the scheduler's own meter with its histograms.
/// </summary>
public sealed class InferenceDashboardCounters(OrleansInstruments instruments, InferenceHost host) : ILifecycleParticipant<ISiloLifecycle>
{
    private const string Prefix = MetricsExtensions.DashboardInstrumentPrefix + "inference-";

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(InferenceDashboardCounters), ServiceLifecycleStage.ApplicationServices, _ =>
        {
            CreateInstruments(instruments.Meter);
            return Task.CompletedTask;
        });

    private void CreateInstruments(Meter meter)
    {
        meter.CreateObservableGauge(Prefix + "requests-running", () => Read(scheduler => scheduler.Status.Running), "{request}");
        meter.CreateObservableGauge(Prefix + "requests-waiting", () => Read(scheduler => scheduler.Status.Waiting), "{request}");
        meter.CreateObservableGauge(Prefix + "kv-slots", () => Read(scheduler => scheduler.Status.Slots), "{slot}");
        meter.CreateObservableCounter(Prefix + "prompt-tokens", () => Read(scheduler => scheduler.Summary.PromptTokens), "{token}");
        meter.CreateObservableCounter(Prefix + "generated-tokens", () => Read(scheduler => scheduler.Summary.GeneratedTokens), "{token}");
        meter.CreateObservableCounter(Prefix + "requests-finished", () => Read(scheduler => scheduler.Summary.RequestsFinished), "{request}");
        meter.CreateObservableCounter(Prefix + "requests-rejected", () => Read(scheduler => scheduler.Summary.RequestsRejected), "{request}");
        meter.CreateObservableGauge(Prefix + "queue-time-ms", () => Mean(summary => summary.QueueTime), "ms");
        meter.CreateObservableGauge(Prefix + "time-to-first-token-ms", () => Mean(summary => summary.TimeToFirstToken), "ms");
        meter.CreateObservableGauge(Prefix + "inter-token-latency-ms", () => Mean(summary => summary.InterTokenLatency), "ms");
        meter.CreateObservableGauge(Prefix + "request-duration-ms", () => Mean(summary => summary.RequestDuration), "ms");
    }

    private IEnumerable<Measurement<T>> Read<T>(Func<GenerationScheduler, T> value)
        where T : struct =>
        host.Scheduler is { } scheduler ? [new Measurement<T>(value(scheduler))] : [];

    private IEnumerable<Measurement<double>> Mean(Func<InferenceSummary, LatencyWindow> window) =>
        host.Scheduler is { } scheduler && window(scheduler.Summary).TakeMeanMilliseconds() is { } mean ? [new Measurement<double>(mean)] : [];
}

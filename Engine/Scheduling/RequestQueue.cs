namespace OrleansSlm.Engine.Scheduling;

/// <summary>
/// The bounded waiting queue in front of the KV cache slots. Callers enqueue from any thread; the scheduler's
/// thread plans each step against it and takes out what the plan admitted or dropped, under one lock, so a request
/// is never admitted twice or lost between the two.
/// </summary>
internal sealed class RequestQueue(int maxWaiting, InferenceMetrics metrics)
{
    private readonly List<ScheduledRequest> _waiting = [];
    private readonly Lock _lock = new();
    private bool _closed;

    public int MaxWaiting => maxWaiting;

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _waiting.Count;
            }
        }
    }

    /// <summary>
    /// Queues a request, or throws <see cref="EngineOverloadedException"/> when the queue is full and every slot is
    /// taken or promised: the caller learns at once, instead of waiting behind a queue that will not move soon. A
    /// closed queue (the scheduler stopped) throws <see cref="ObjectDisposedException"/>.
    /// </summary>
    public void Enqueue(ScheduledRequest request, int running, int slots)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_closed, this);
            if (_waiting.Count >= maxWaiting && _waiting.Count + running >= slots)
            {
                metrics.RejectedFull();
                throw new EngineOverloadedException(_waiting.Count, TimeSpan.FromSeconds(1 + (_waiting.Count / Math.Max(1, slots))));
            }

            _waiting.Add(request);
            metrics.Enqueued();
        }
    }

    /// <summary>Plans one step and takes the requests it admits or drops out of the queue.</summary>
    public StepPlan Plan(StepPlanner planner, IReadOnlyList<ScheduledRequest> running)
    {
        lock (_lock)
        {
            var plan = planner.Plan(running, _waiting);
            if (plan.Admitted.Count + plan.Dropped.Count > 0)
            {
                var taken = plan.Admitted.Concat(plan.Dropped).ToHashSet();
                _waiting.RemoveAll(taken.Contains);
                for (var i = 0; i < taken.Count; i++)
                {
                    metrics.Dequeued();
                }
            }

            return plan;
        }
    }

    /// <summary>Refuses every later request and returns the waiting ones, for a scheduler that stops: none can slip in after.</summary>
    public ScheduledRequest[] Close()
    {
        lock (_lock)
        {
            _closed = true;
            var all = _waiting.ToArray();
            _waiting.Clear();
            foreach (var _ in all)
            {
                metrics.Dequeued();
            }

            return all;
        }
    }
}

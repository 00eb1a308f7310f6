namespace OrleansSlm.Tests.Support;

/// <summary>
/// Faults for the writes (and clears) of the grain states named at construction, struck by
/// <see cref="FaultInjectingGrainStorage"/> on every silo it is added to. Writes are counted from the moment a fault is
/// armed, across those states together, so a test picks "the second write of this operation" by its index.
/// </summary>
public sealed class StorageFaults(params string[] stateNames)
{
    private readonly Lock _lock = new();
    private readonly List<string> _writes = [];
    private readonly List<WriteHold> _holds = [];
    private ArmedFault? _armed;
    private bool _dead;

    /// <summary>The counted states written since the last fault was armed or <see cref="Reset"/> was called, in order.</summary>
    public IReadOnlyList<string> Writes
    {
        get
        {
            lock (_lock)
            {
                return [.. _writes];
            }
        }
    }

    /// <summary>Whether the armed fault has met its write.</summary>
    public bool Struck
    {
        get
        {
            lock (_lock)
            {
                return _armed is { Struck: true };
            }
        }
    }

    /// <summary>Disarms the fault and starts counting writes again from zero.</summary>
    public void Reset() => Arm(null);

    /// <summary>The write at <paramref name="index"/> throws <see cref="InjectedStorageFaultException"/>, before storage has it or after it took it.</summary>
    public void Fail(int index, WriteFaultTiming timing) =>
        Arm(new ArmedFault(index, timing, () => Task.FromException(new InjectedStorageFaultException($"injected fault at write {index} ({timing})"))));

    /// <summary>The write at <paramref name="index"/> waits <paramref name="delay"/> at <paramref name="timing"/>, then goes on.</summary>
    public void Delay(int index, WriteFaultTiming timing, TimeSpan delay) => Arm(new ArmedFault(index, timing, () => Task.Delay(delay)));

    /// <summary>The write at <paramref name="index"/> stops at <paramref name="timing"/> until the hold is released (or the storage dies).</summary>
    public WriteHold Hold(int index, WriteFaultTiming timing)
    {
        var hold = new WriteHold();
        lock (_lock)
        {
            _holds.Add(hold);
        }

        Arm(new ArmedFault(index, timing, hold.WaitAsync));
        return hold;
    }

    /// <summary>
    /// The storage goes with its silo: every later read, write or clear fails, and held writes fail where they wait,
    /// so that no code of a killed silo still running in this process reaches the database.
    /// </summary>
    public void Die()
    {
        lock (_lock)
        {
            _dead = true;
            foreach (var hold in _holds)
            {
                hold.Fail(new InjectedStorageFaultException("the silo of this storage was killed"));
            }
        }
    }

    public void ThrowIfDead()
    {
        lock (_lock)
        {
            if (_dead)
            {
                throw new InjectedStorageFaultException("the silo of this storage was killed");
            }
        }
    }

    /// <summary>Runs <paramref name="write"/> of state <paramref name="stateName"/>, striking the armed fault when this is its write.</summary>
    public async Task WriteAsync(string stateName, Func<Task> write)
    {
        var fault = Count(stateName);
        if (fault?.Timing == WriteFaultTiming.BeforeStorage)
        {
            await fault.Strike();
        }

        ThrowIfDead();
        await write();
        if (fault?.Timing == WriteFaultTiming.AfterStorage)
        {
            await fault.Strike();
        }

        ThrowIfDead();
    }

    private ArmedFault? Count(string stateName)
    {
        lock (_lock)
        {
            if (_dead)
            {
                throw new InjectedStorageFaultException("the silo of this storage was killed");
            }

            if (!stateNames.Contains(stateName))
            {
                return null;
            }

            _writes.Add(stateName);
            if (_armed is { Struck: false } armed && armed.Index == _writes.Count - 1)
            {
                armed.Struck = true;
                return armed;
            }

            return null;
        }
    }

    private void Arm(ArmedFault? fault)
    {
        lock (_lock)
        {
            _writes.Clear();
            _armed = fault;
        }
    }

    private sealed record ArmedFault(int Index, WriteFaultTiming Timing, Func<Task> Strike)
    {
        public bool Struck { get; set; }
    }
}

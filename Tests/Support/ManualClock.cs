namespace OrleansSlm.Tests.Support;

/// <summary>A clock that stands still until a test moves it, for what depends on the time of day (expiry).</summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}

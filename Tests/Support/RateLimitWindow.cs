namespace OrleansSlm.Tests.Support;

/// <summary>
/// The dashboard's sign-in limit counts per calendar minute, so a burst that straddles a minute boundary is counted in
/// two windows. Tests that prove it send their burst with at least a quarter of a minute left.
/// </summary>
public static class RateLimitWindow
{
    public static async Task WaitForRoomAsync()
    {
        var now = DateTimeOffset.UtcNow;
        if (now.Second >= 45)
        {
            await Task.Delay(TimeSpan.FromSeconds(60 - now.Second) - TimeSpan.FromMilliseconds(now.Millisecond) + TimeSpan.FromMilliseconds(100));
        }
    }
}

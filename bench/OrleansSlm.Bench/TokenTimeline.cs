using System.Diagnostics;

namespace OrleansSlm.Bench;

/// <summary>
/// The clock of one request, started when the request is sent. Both modes mark each piece of visible text as it
/// reaches the client, so that time to first token and inter-token latency mean the same thing in both.
/// </summary>
internal sealed class TokenTimeline
{
    private readonly long _started = Stopwatch.GetTimestamp();
    private readonly List<double> _gaps = [];
    private long _previous;
    private double? _first;

    public void TextArrived()
    {
        var now = Stopwatch.GetTimestamp();
        if (_previous == 0)
        {
            _first = Stopwatch.GetElapsedTime(_started, now).TotalMilliseconds;
        }
        else
        {
            _gaps.Add(Stopwatch.GetElapsedTime(_previous, now).TotalMilliseconds);
        }

        _previous = now;
    }

    public RequestOutcome Succeeded(int completionTokens, int? promptTokens) =>
        new(Elapsed(), _first, _gaps, completionTokens, promptTokens, null, null);

    public RequestOutcome Failed(RequestError error, string detail) =>
        new(Elapsed(), _first, _gaps, 0, null, error, detail);

    private double Elapsed() => Stopwatch.GetElapsedTime(_started).TotalMilliseconds;
}

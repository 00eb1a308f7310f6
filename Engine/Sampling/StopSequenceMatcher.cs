namespace OrleansSlm.Engine.Sampling;

/// <summary>
/// Finds stop strings in streamed text. It holds back only a tail that could still grow into a stop string,
/// so a stop split across pushes is caught, and everything before a stop is emitted, nothing of the stop itself.
/// </summary>
public sealed class StopSequenceMatcher
{
    private readonly string[] _stopSequences;
    private string _pending = string.Empty;
    private bool _stopped;

    public StopSequenceMatcher(IReadOnlyList<string> stopSequences)
    {
        ArgumentNullException.ThrowIfNull(stopSequences);
        if (stopSequences.Any(string.IsNullOrEmpty))
        {
            throw new ArgumentException("Stop sequences must not be empty strings.", nameof(stopSequences));
        }

        _stopSequences = [.. stopSequences];
    }

    public StopMatch Push(string text)
    {
        if (_stopped)
        {
            return new StopMatch(string.Empty, true);
        }

        var buffer = _pending + text;
        var stopAt = FirstStop(buffer);
        if (stopAt >= 0)
        {
            _stopped = true;
            _pending = string.Empty;
            return new StopMatch(buffer[..stopAt], true);
        }

        var held = LongestTailThatStartsAStop(buffer);
        _pending = buffer[(buffer.Length - held)..];
        return new StopMatch(buffer[..(buffer.Length - held)], false);
    }

    /// <summary>The held-back tail, once the output ends without a stop.</summary>
    public string Flush()
    {
        var rest = _pending;
        _pending = string.Empty;
        return rest;
    }

    private int FirstStop(string buffer)
    {
        var first = -1;
        foreach (var stop in _stopSequences)
        {
            var index = buffer.IndexOf(stop, StringComparison.Ordinal);
            if (index >= 0 && (first < 0 || index < first))
            {
                first = index;
            }
        }

        return first;
    }

    private int LongestTailThatStartsAStop(string buffer)
    {
        var longest = 0;
        foreach (var stop in _stopSequences)
        {
            for (var length = Math.Min(stop.Length - 1, buffer.Length); length > longest; length--)
            {
                if (buffer.AsSpan(buffer.Length - length).SequenceEqual(stop.AsSpan(0, length)))
                {
                    longest = length;
                    break;
                }
            }
        }

        return longest;
    }
}

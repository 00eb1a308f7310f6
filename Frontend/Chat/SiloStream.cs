using OrleansSlm.GrainsInterfaces.Inference;

namespace OrleansSlm.Frontend.Chat;

/// <summary>
/// An inference grain's stream that takes in the silo's acceptance (its first chunk) and remembers the silo, so the
/// caller sees only the chunks of the completion and can ask whether that silo is still alive.
/// </summary>
internal sealed class SiloStream(IAsyncEnumerator<CompletionChunk> inner) : IAsyncEnumerator<CompletionChunk>
{
    /// <summary>The silo that accepted the request; null until it has said so.</summary>
    public SiloAddress? Silo { get; private set; }

    public CompletionChunk Current => inner.Current;

    public async ValueTask<bool> MoveNextAsync()
    {
        while (await inner.MoveNextAsync())
        {
            if (inner.Current.AcceptedOn is not { } silo)
            {
                return true;
            }

            Silo = silo;
        }

        return false;
    }

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}

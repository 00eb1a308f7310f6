namespace OrleansSlm.Engine.Text;

/// <summary>Cuts text at special tokens (longest first) so that they become single ids and are never split by the model's tokenizer.</summary>
internal sealed class SpecialTokenSplitter(IReadOnlyDictionary<string, int> specialTokens)
{
    private readonly string[] _tokensLongestFirst = [.. specialTokens.Keys.OrderByDescending(token => token.Length)];

    public IReadOnlyDictionary<string, int> Tokens => specialTokens;

    public void Encode(string text, List<int> ids, Action<string, List<int>> encodeOrdinaryText)
    {
        var start = 0;
        var position = 0;
        while (position < text.Length)
        {
            var match = _tokensLongestFirst.FirstOrDefault(token => string.CompareOrdinal(text, position, token, 0, token.Length) == 0);
            if (match is null)
            {
                position++;
                continue;
            }

            if (position > start)
            {
                encodeOrdinaryText(text[start..position], ids);
            }

            ids.Add(specialTokens[match]);
            position += match.Length;
            start = position;
        }

        if (start < text.Length)
        {
            encodeOrdinaryText(text[start..], ids);
        }
    }
}

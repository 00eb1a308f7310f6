namespace OrleansSlm.Engine.Text;

/// <summary>
/// Turns a stream of token ids into text pieces. A token may end in the middle of a UTF-8 character (an emoji
/// spread over byte tokens): such text is held back until the character completes, so no piece ever carries
/// a replacement character that the full decode would not. Decoding from a few tokens before the new ones keeps
/// tokenizer-specific spacing (SentencePiece's leading space) right.
/// </summary>
public sealed class StreamingDetokenizer(ITextTokenizer tokenizer)
{
    private const char ReplacementCharacter = '\uFFFD';

    private readonly List<int> _tokens = [];
    private int _prefixOffset;
    private int _readOffset;

    public string Push(int tokenId)
    {
        _tokens.Add(tokenId);
        var prefixText = tokenizer.Decode(_tokens[_prefixOffset.._readOffset]);
        var fullText = tokenizer.Decode(_tokens[_prefixOffset..]);
        if (fullText.Length <= prefixText.Length || fullText[^1] == ReplacementCharacter || !fullText.StartsWith(prefixText, StringComparison.Ordinal))
        {
            return string.Empty;
        }

        _prefixOffset = _readOffset;
        _readOffset = _tokens.Count;
        return fullText[prefixText.Length..];
    }

    /// <summary>Whatever is still held back (an incomplete character decodes as U+FFFD).</summary>
    public string Flush()
    {
        var prefixText = tokenizer.Decode(_tokens[_prefixOffset.._readOffset]);
        var fullText = tokenizer.Decode(_tokens[_prefixOffset..]);
        _prefixOffset = _readOffset = _tokens.Count;
        return fullText.Length > prefixText.Length ? fullText[prefixText.Length..] : string.Empty;
    }
}

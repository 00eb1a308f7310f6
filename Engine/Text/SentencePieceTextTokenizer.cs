using Microsoft.ML.Tokenizers;

namespace OrleansSlm.Engine.Text;

/// <summary>A SentencePiece <c>tokenizer.model</c> (Gemma), with special tokens split out whole first. No BOS is added: chat templates write their own.</summary>
internal sealed class SentencePieceTextTokenizer : ITextTokenizer
{
    private readonly SentencePieceTokenizer _sentencePiece;
    private readonly SpecialTokenSplitter _specials;
    private readonly Dictionary<int, string> _specialById;

    public SentencePieceTextTokenizer(string modelPath, IReadOnlyDictionary<string, int> specialTokens)
    {
        using (var stream = File.OpenRead(modelPath))
        {
            _sentencePiece = SentencePieceTokenizer.Create(stream, addBeginningOfSentence: false, addEndOfSentence: false);
        }

        _specials = new SpecialTokenSplitter(specialTokens);
        _specialById = specialTokens.ToDictionary(pair => pair.Value, pair => pair.Key);
        VocabularySize = _sentencePiece.Vocabulary.Values.Concat(specialTokens.Values).Max() + 1;
    }

    public int VocabularySize { get; }

    public IReadOnlyList<int> Encode(string text)
    {
        var ids = new List<int>();
        var first = true;
        _specials.Encode(text, ids, (ordinary, into) =>
        {
            // SentencePiece prefixes a text with a space marker only where the text starts, not after a special token.
            into.AddRange(_sentencePiece.EncodeToIds(ordinary, addBeginningOfSentence: false, addEndOfSentence: false, considerPreTokenization: first, considerNormalization: true));
            first = false;
        });
        return ids;
    }

    public string Decode(IReadOnlyList<int> ids, bool skipSpecialTokens = true) =>
        SpecialAwareDecoder.Decode(ids, _specialById, skipSpecialTokens, run => _sentencePiece.Decode(run) ?? string.Empty);

    public int? TokenToId(string token) =>
        _specials.Tokens.TryGetValue(token, out var special) ? special
        : _sentencePiece.Vocabulary.TryGetValue(token, out var id) ? id
        : null;
}

using Microsoft.ML.Tokenizers;

namespace OrleansSlm.Engine.Text;

/// <summary>GPT-2-style byte-level BPE (SmolLM2) over <c>vocab.json</c> + <c>merges.txt</c> or <c>tokenizer.json</c>, with special tokens split out whole first.</summary>
internal sealed class ByteLevelBpeTokenizer : ITextTokenizer
{
    private readonly BpeTokenizer _bpe;
    private readonly SpecialTokenSplitter _specials;
    private readonly Dictionary<int, string> _specialById;

    public ByteLevelBpeTokenizer(string vocabPath, string mergesPath, IReadOnlyDictionary<string, int> specialTokens)
        : this(new BpeOptions(vocabPath, mergesPath) { ByteLevel = true, PreTokenizer = new ByteLevelPreTokenizer() }, specialTokens)
    {
    }

    public ByteLevelBpeTokenizer(TokenizerJson description, IReadOnlyDictionary<string, int> specialTokens)
        : this(
            new BpeOptions(description.Vocabulary)
            {
                Merges = description.Merges,
                ByteLevel = true,
                PreTokenizer = new ByteLevelPreTokenizer(description.SplitDigits),
            },
            specialTokens)
    {
    }

    private ByteLevelBpeTokenizer(BpeOptions options, IReadOnlyDictionary<string, int> specialTokens)
    {
        _bpe = BpeTokenizer.Create(options);
        _specials = new SpecialTokenSplitter(specialTokens);
        _specialById = specialTokens.ToDictionary(pair => pair.Value, pair => pair.Key);
        var largestId = _bpe.Vocabulary.Values.Concat(specialTokens.Values).DefaultIfEmpty(-1).Max();
        VocabularySize = largestId + 1;
    }

    public int VocabularySize { get; }

    public IReadOnlyList<int> Encode(string text)
    {
        var ids = new List<int>();
        _specials.Encode(text, ids, (ordinary, into) => into.AddRange(_bpe.EncodeToIds(ordinary)));
        return ids;
    }

    public string Decode(IReadOnlyList<int> ids, bool skipSpecialTokens = true) =>
        SpecialAwareDecoder.Decode(ids, _specialById, skipSpecialTokens, run => _bpe.Decode(run) ?? string.Empty);

    public int? TokenToId(string token)
    {
        if (_specials.Tokens.TryGetValue(token, out var special))
        {
            return special;
        }

        var ids = _bpe.EncodeToIds(token);
        return ids.Count == 1 ? ids[0] : null;
    }
}

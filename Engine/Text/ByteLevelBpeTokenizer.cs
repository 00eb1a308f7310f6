using Microsoft.ML.Tokenizers;

namespace OrleansSlm.Engine.Text;

/// <summary>GPT-2-style byte-level BPE (SmolLM2) over <c>vocab.json</c> + <c>merges.txt</c>, with special tokens split out whole first.</summary>
internal sealed class ByteLevelBpeTokenizer : ITextTokenizer
{
    private readonly BpeTokenizer bpe;
    private readonly SpecialTokenSplitter specials;
    private readonly Dictionary<int, string> specialById;

    public ByteLevelBpeTokenizer(string vocabPath, string mergesPath, IReadOnlyDictionary<string, int> specialTokens)
    {
        bpe = BpeTokenizer.Create(new BpeOptions(vocabPath, mergesPath)
        {
            ByteLevel = true,
            PreTokenizer = new ByteLevelPreTokenizer(),
        });
        specials = new SpecialTokenSplitter(specialTokens);
        specialById = specialTokens.ToDictionary(pair => pair.Value, pair => pair.Key);
        var largestId = bpe.Vocabulary.Values.Concat(specialTokens.Values).DefaultIfEmpty(-1).Max();
        VocabularySize = largestId + 1;
    }

    public int VocabularySize { get; }

    public IReadOnlyList<int> Encode(string text)
    {
        var ids = new List<int>();
        specials.Encode(text, ids, (ordinary, into) => into.AddRange(bpe.EncodeToIds(ordinary)));
        return ids;
    }

    public string Decode(IReadOnlyList<int> ids, bool skipSpecialTokens = true) =>
        SpecialAwareDecoder.Decode(ids, specialById, skipSpecialTokens, run => bpe.Decode(run) ?? string.Empty);

    public int? TokenToId(string token)
    {
        if (specials.Tokens.TryGetValue(token, out var special))
        {
            return special;
        }

        var ids = bpe.EncodeToIds(token);
        return ids.Count == 1 ? ids[0] : null;
    }
}

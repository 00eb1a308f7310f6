using System.Text;
using Microsoft.ML.Tokenizers;

namespace OrleansSlm.Engine.Text;

/// <summary>
/// SentencePiece-style BPE from <c>tokenizer.json</c> (Gemma, Llama 2): spaces are written as <c>▁</c>, and a character
/// the vocabulary lacks becomes its UTF-8 bytes as <c>&lt;0xNN&gt;</c> tokens. Microsoft.ML.Tokenizers applies the merges;
/// this class does the space convention and byte fallback, which it does not offer.
/// </summary>
internal sealed class ByteFallbackBpeTokenizer : ITextTokenizer
{
    private readonly TokenizerJson _description;
    private readonly BpeTokenizer _bpe;
    private readonly SpecialTokenSplitter _specials;
    private readonly Dictionary<int, string> _specialById;
    private readonly Dictionary<int, string> _tokenById;
    private readonly Dictionary<int, byte> _byteById = [];
    private readonly int[]? _idByByte;
    private readonly int? _unknownId;

    public ByteFallbackBpeTokenizer(TokenizerJson description, IReadOnlyDictionary<string, int> specialTokens)
    {
        _description = description;
        _bpe = BpeTokenizer.Create(new BpeOptions(description.Vocabulary) { Merges = description.Merges, PreTokenizer = new WholeText() });
        _specials = new SpecialTokenSplitter(specialTokens);
        _specialById = specialTokens.ToDictionary(pair => pair.Value, pair => pair.Key);
        _tokenById = description.Vocabulary.ToDictionary(pair => pair.Value, pair => pair.Key);
        _unknownId = description.UnknownToken is { } unknown && description.Vocabulary.TryGetValue(unknown, out var unknownId) ? unknownId : null;

        var idByByte = new int[256];
        var complete = true;
        for (var b = 0; b < 256; b++)
        {
            complete &= description.Vocabulary.TryGetValue($"<0x{b:X2}>", out idByByte[b]);
            _byteById[idByByte[b]] = (byte)b;
        }

        // Byte fallback needs all 256 byte tokens; without them an unknown character is the unknown token, as in Hugging Face's BPE.
        _idByByte = description.ByteFallback && complete ? idByByte : null;
        if (_idByByte is null)
        {
            _byteById.Clear();
        }

        VocabularySize = description.Vocabulary.Values.Concat(specialTokens.Values).DefaultIfEmpty(-1).Max() + 1;
    }

    public int VocabularySize { get; }

    public IReadOnlyList<int> Encode(string text)
    {
        var ids = new List<int>();

        // Ordinary text comes first exactly when nothing has been written before it.
        _specials.Encode(text, ids, (ordinary, into) => EncodeOrdinary(
            ordinary,
            prepend: _description.Prepend == SpacePrepend.Always || (_description.Prepend == SpacePrepend.First && into.Count == 0),
            into));
        return ids;
    }

    public string Decode(IReadOnlyList<int> ids, bool skipSpecialTokens = true)
    {
        // Hugging Face strips the space of the first token decoded; a special token kept in front of the text is that token.
        var first = skipSpecialTokens || ids.Count == 0 || !_specialById.ContainsKey(ids[0]);
        return SpecialAwareDecoder.Decode(ids, _specialById, skipSpecialTokens, run =>
        {
            var text = DecodeRun(run);
            var strip = first && _description.StripLeadingSpace && text.StartsWith(' ');
            first = false;
            return strip ? text[1..] : text;
        });
    }

    public int? TokenToId(string token) =>
        _specials.Tokens.TryGetValue(token, out var special) ? special
        : _description.Vocabulary.TryGetValue(token, out var id) ? id
        : null;

    private void EncodeOrdinary(string text, bool prepend, List<int> ids)
    {
        var normalized = (prepend ? " " : string.Empty) + text;
        normalized = normalized.Replace(" ", _description.SpaceReplacement, StringComparison.Ordinal);
        foreach (var piece in Pieces(normalized))
        {
            EncodePiece(piece, ids);
        }
    }

    /// <summary>Metaspace's split: a piece starts at every space marker, which stays with the word after it.</summary>
    private IEnumerable<string> Pieces(string normalized)
    {
        if (!_description.SplitAtSpaces)
        {
            yield return normalized;
            yield break;
        }

        var start = 0;
        var marker = _description.SpaceReplacement;
        for (var at = normalized.IndexOf(marker, 1, StringComparison.Ordinal); at > 0; at = normalized.IndexOf(marker, at + marker.Length, StringComparison.Ordinal))
        {
            yield return normalized[start..at];
            start = at;
        }

        if (start < normalized.Length)
        {
            yield return normalized[start..];
        }
    }

    /// <summary>
    /// Runs of characters the vocabulary holds go to the BPE model; each other character falls back to bytes. No merge
    /// joins a byte token to a neighbour, so cutting the piece there gives what Hugging Face's byte fallback gives.
    /// </summary>
    private void EncodePiece(string piece, List<int> ids)
    {
        var runStart = 0;
        var lastWasUnknown = false;
        var position = 0;
        while (position < piece.Length)
        {
            var length = char.IsSurrogatePair(piece, position) ? 2 : 1;
            if (_description.Vocabulary.ContainsKey(piece.Substring(position, length)))
            {
                position += length;
                lastWasUnknown = false;
                continue;
            }

            if (position > runStart)
            {
                ids.AddRange(_bpe.EncodeToIds(piece[runStart..position]));
            }

            lastWasUnknown = Fallback(piece.AsSpan(position, length), lastWasUnknown, ids);
            position += length;
            runStart = position;
        }

        if (position > runStart)
        {
            ids.AddRange(_bpe.EncodeToIds(piece[runStart..position]));
        }
    }

    /// <summary>Writes an unknown character as bytes or as the unknown token; says whether it wrote the unknown token.</summary>
    private bool Fallback(ReadOnlySpan<char> character, bool afterUnknown, List<int> ids)
    {
        if (_idByByte is not null)
        {
            Span<byte> bytes = stackalloc byte[4];
            var count = Encoding.UTF8.GetBytes(character, bytes);
            foreach (var b in bytes[..count])
            {
                ids.Add(_idByByte[b]);
            }

            return false;
        }

        if (_unknownId is not { } unknown)
        {
            throw new InvalidOperationException(
                $"The character '{character}' is not in the vocabulary, which has neither byte tokens nor an unknown token.");
        }

        if (!(afterUnknown && _description.FuseUnknown))
        {
            ids.Add(unknown);
        }

        return true;
    }

    private string DecodeRun(List<int> run)
    {
        var bytes = new List<byte>();
        foreach (var id in run)
        {
            if (_byteById.TryGetValue(id, out var b))
            {
                bytes.Add(b);
            }
            else if (_tokenById.TryGetValue(id, out var token))
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(token.Replace(_description.SpaceReplacement, " ", StringComparison.Ordinal)));
            }
        }

        return Encoding.UTF8.GetString([.. bytes]);
    }

    /// <summary>
    /// Hands each piece to the merges whole: without a pre-tokenizer Microsoft.ML.Tokenizers splits at word boundaries,
    /// which would cut a word from the <c>▁</c> before it. This class cuts the pieces itself.
    /// </summary>
    private sealed class WholeText : PreTokenizer
    {
        public override IEnumerable<(int Offset, int Length)> PreTokenize(string text) => [(0, text.Length)];

        public override IEnumerable<(int Offset, int Length)> PreTokenize(ReadOnlySpan<char> text) => [(0, text.Length)];
    }
}

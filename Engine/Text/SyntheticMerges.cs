using System.Buffers;

namespace OrleansSlm.Engine.Text;

/// <summary>
/// How the synthetic tokenizers grow a vocabulary: BPE merges learned greedily from the words of a built-in text, then
/// deterministic filler merges (a word piece plus a letter) until the vocabulary has exactly the requested size.
/// </summary>
internal static class SyntheticMerges
{
    private static readonly SearchValues<char> AsciiLetters = SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ");

    /// <summary>
    /// Merges the most frequent adjacent pair of symbols (ties by ordinal order) until the vocabulary is full or no pair
    /// is left; <paramref name="words"/> (symbols → count) are merged in place.
    /// </summary>
    public static void Learn(Dictionary<List<string>, int> words, int vocabularySize, List<string> vocabulary, HashSet<string> known, List<(string, string)> merges)
    {
        var pairCounts = new Dictionary<(string, string), int>();
        while (vocabulary.Count < vocabularySize)
        {
            pairCounts.Clear();
            foreach (var (symbols, count) in words)
            {
                for (var i = 0; i + 1 < symbols.Count; i++)
                {
                    var pair = (symbols[i], symbols[i + 1]);
                    pairCounts[pair] = pairCounts.GetValueOrDefault(pair) + count;
                }
            }

            if (pairCounts.Count == 0)
            {
                return;
            }

            var best = pairCounts
                .OrderByDescending(pair => pair.Value)
                .ThenBy(pair => pair.Key.Item1, StringComparer.Ordinal)
                .ThenBy(pair => pair.Key.Item2, StringComparer.Ordinal)
                .First().Key;
            var merged = best.Item1 + best.Item2;
            merges.Add(best);
            if (known.Add(merged))
            {
                vocabulary.Add(merged);
            }

            foreach (var symbols in words.Keys)
            {
                for (var i = 0; i + 1 < symbols.Count; i++)
                {
                    if (symbols[i] == best.Item1 && symbols[i + 1] == best.Item2)
                    {
                        symbols[i] = merged;
                        symbols.RemoveAt(i + 1);
                    }
                }
            }
        }
    }

    /// <summary>Word pieces (ASCII letters, optionally after the <paramref name="space"/> marker) each extended by a letter.</summary>
    public static void AddFiller(int vocabularySize, char space, List<string> vocabulary, HashSet<string> known, List<(string, string)> merges)
    {
        var stems = vocabulary.Where(token => IsWordPiece(token, space)).ToList();
        for (var stem = 0; vocabulary.Count < vocabularySize; stem++)
        {
            for (var letter = 'a'; letter <= 'z' && vocabulary.Count < vocabularySize; letter++)
            {
                var merged = stems[stem] + letter;
                if (known.Add(merged))
                {
                    merges.Add((stems[stem], letter.ToString()));
                    vocabulary.Add(merged);
                    stems.Add(merged);
                }
            }
        }
    }

    private static bool IsWordPiece(string token, char space)
    {
        var letters = token.Length > 0 && token[0] == space ? token.AsSpan(1) : token.AsSpan();
        return letters.Length > 0 && !letters.ContainsAnyExcept(AsciiLetters);
    }
}

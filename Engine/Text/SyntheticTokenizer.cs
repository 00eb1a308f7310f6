using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OrleansSlm.Engine.Text;

/// <summary>
/// Writes a byte-level BPE tokenizer for synthetic models: the ChatML special tokens (ids 0–2), the 256 byte
/// tokens, merges learned from a built-in English text, and then deterministic filler merges (a word piece plus a
/// letter) until the vocabulary has exactly the requested size. Same size, same files, byte for byte.
/// </summary>
public static class SyntheticTokenizer
{
    public const string EndOfText = "<|endoftext|>";
    public const string ImStart = "<|im_start|>";
    public const string ImEnd = "<|im_end|>";

    private static readonly string[] SpecialTokens = [EndOfText, ImStart, ImEnd];
    private static readonly SearchValues<char> AsciiLetters = SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ");

    public static int MinimumVocabularySize => SpecialTokens.Length + 256;

    public static void Write(string directory, int vocabularySize)
    {
        if (vocabularySize < MinimumVocabularySize)
        {
            throw new ArgumentOutOfRangeException(nameof(vocabularySize), vocabularySize,
                $"A byte-level BPE vocabulary needs at least {MinimumVocabularySize} entries (3 special tokens and 256 bytes).");
        }

        var vocabulary = new List<string>(vocabularySize);
        vocabulary.AddRange(SpecialTokens);
        for (var b = 0; b < 256; b++)
        {
            vocabulary.Add(ByteLevelAlphabet.CharForByte((byte)b).ToString());
        }

        var known = new HashSet<string>(vocabulary, StringComparer.Ordinal);
        var merges = new List<(string Left, string Right)>();
        LearnMerges(vocabularySize, vocabulary, known, merges);
        AddFillerMerges(vocabularySize, vocabulary, known, merges);

        Directory.CreateDirectory(directory);
        WriteVocabulary(Path.Combine(directory, "vocab.json"), vocabulary);
        WriteMerges(Path.Combine(directory, "merges.txt"), merges);
        WriteTokenizerConfig(Path.Combine(directory, "tokenizer_config.json"));
    }

    private static void LearnMerges(int vocabularySize, List<string> vocabulary, HashSet<string> known, List<(string, string)> merges)
    {
        var words = CountWords().Select(pair => (Symbols: pair.Key, Count: pair.Value)).ToList();
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

            foreach (var (symbols, _) in words)
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

    private static void AddFillerMerges(int vocabularySize, List<string> vocabulary, HashSet<string> known, List<(string, string)> merges)
    {
        var space = ByteLevelAlphabet.CharForByte((byte)' ');
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

    private static Dictionary<List<string>, int> CountWords()
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var preTokenizer = new ByteLevelPreTokenizer();
        foreach (var (offset, length) in preTokenizer.PreTokenize(TrainingText.Text))
        {
            var piece = TrainingText.Text.Substring(offset, length);
            if (piece.Length > 1)
            {
                counts[piece] = counts.GetValueOrDefault(piece) + 1;
            }
        }

        return counts
            .OrderBy(pair => pair.Key, StringComparer.Ordinal)
            .ToDictionary(
                pair => Encoding.UTF8.GetBytes(pair.Key).Select(b => ByteLevelAlphabet.CharForByte(b).ToString()).ToList(),
                pair => pair.Value);
    }

    private static void WriteVocabulary(string path, List<string> vocabulary)
    {
        var json = new JsonObject();
        for (var id = 0; id < vocabulary.Count; id++)
        {
            json[vocabulary[id]] = id;
        }

        File.WriteAllText(path, json.ToJsonString());
    }

    private static void WriteMerges(string path, List<(string Left, string Right)> merges)
    {
        var text = new StringBuilder("#version: 0.2\n");
        foreach (var (left, right) in merges)
        {
            text.Append(left).Append(' ').Append(right).Append('\n');
        }

        File.WriteAllText(path, text.ToString());
    }

    private static void WriteTokenizerConfig(string path)
    {
        var added = new JsonObject();
        for (var id = 0; id < SpecialTokens.Length; id++)
        {
            added[id.ToString()] = new JsonObject { ["content"] = SpecialTokens[id], ["special"] = true };
        }

        var config = new JsonObject
        {
            ["tokenizer_class"] = "GPT2Tokenizer",
            ["added_tokens_decoder"] = added,
            ["bos_token"] = ImStart,
            ["eos_token"] = ImEnd,
            ["unk_token"] = EndOfText,
            ["pad_token"] = ImEnd,
        };
        File.WriteAllText(path, config.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }
}

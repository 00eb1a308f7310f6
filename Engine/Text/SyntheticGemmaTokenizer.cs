using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OrleansSlm.Engine.Text;

/// <summary>
/// Writes a Gemma-style <c>tokenizer.json</c> for synthetic Gemma models, laid out as Gemma 3's: <c>&lt;pad&gt;</c>,
/// <c>&lt;eos&gt;</c>, <c>&lt;bos&gt;</c>, <c>&lt;unk&gt;</c>, <c>&lt;mask&gt;</c> at ids 0–4, unused specials up to the turn
/// markers at 105 (<c>&lt;start_of_turn&gt;</c>) and 106 (<c>&lt;end_of_turn&gt;</c>), the 256 byte-fallback tokens, the
/// characters of a built-in English text, merges learned from it with spaces written as <c>▁</c>, then filler merges
/// up to the requested size. Same size, same file, byte for byte.
/// </summary>
public static class SyntheticGemmaTokenizer
{
    public const string Pad = "<pad>";
    public const string EndOfSequence = "<eos>";
    public const string BeginningOfSequence = "<bos>";
    public const string Unknown = "<unk>";
    public const string StartOfTurn = "<start_of_turn>";
    public const string EndOfTurn = "<end_of_turn>";
    public const int EndOfTurnId = 106;

    private const char Space = '▁';
    private const int UnusedSpecials = 100;

    public static int MinimumVocabularySize => BaseTokens().Count + TextCharacters().Count;

    public static void Write(string directory, int vocabularySize)
    {
        if (vocabularySize < MinimumVocabularySize)
        {
            throw new ArgumentOutOfRangeException(nameof(vocabularySize), vocabularySize,
                $"A Gemma-style vocabulary needs at least {MinimumVocabularySize} entries (specials, 256 bytes and the training text's characters).");
        }

        var vocabulary = BaseTokens();
        var specialCount = vocabulary.Count - 256;
        vocabulary.AddRange(TextCharacters());
        var known = new HashSet<string>(vocabulary, StringComparer.Ordinal);
        var merges = new List<(string Left, string Right)>();
        SyntheticMerges.Learn(CountWords(), vocabularySize, vocabulary, known, merges);
        SyntheticMerges.AddFiller(vocabularySize, Space, vocabulary, known, merges);

        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "tokenizer.json"), TokenizerJson(vocabulary, specialCount, merges));
        File.WriteAllText(Path.Combine(directory, "tokenizer_config.json"), new JsonObject
        {
            ["tokenizer_class"] = "GemmaTokenizer",
            ["bos_token"] = BeginningOfSequence,
            ["eos_token"] = EndOfSequence,
            ["unk_token"] = Unknown,
            ["pad_token"] = Pad,
            ["add_bos_token"] = true,
        }.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    private static List<string> BaseTokens()
    {
        var tokens = new List<string> { Pad, EndOfSequence, BeginningOfSequence, Unknown, "<mask>" };
        tokens.AddRange(Enumerable.Range(0, UnusedSpecials).Select(i => $"<unused{i}>"));
        tokens.Add(StartOfTurn);
        tokens.Add(EndOfTurn);
        tokens.AddRange(Enumerable.Range(0, 256).Select(b => $"<0x{b:X2}>"));
        return tokens;
    }

    private static string Normalized => TrainingText.Text.Replace("\r", "", StringComparison.Ordinal).Replace(' ', Space);

    private static List<string> TextCharacters() =>
        [.. Normalized.EnumerateRunes().Select(rune => rune.ToString()).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];

    /// <summary>Words of the text, each starting at a <c>▁</c>, as lists of characters.</summary>
    private static Dictionary<List<string>, int> CountWords()
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var line in Normalized.Split('\n'))
        {
            foreach (var word in line.Split(Space, StringSplitOptions.RemoveEmptyEntries))
            {
                var piece = Space + word;
                counts[piece] = counts.GetValueOrDefault(piece) + 1;
            }
        }

        return counts
            .OrderBy(pair => pair.Key, StringComparer.Ordinal)
            .ToDictionary(pair => pair.Key.EnumerateRunes().Select(rune => rune.ToString()).ToList(), pair => pair.Value);
    }

    private static string TokenizerJson(List<string> vocabulary, int specialCount, List<(string Left, string Right)> merges)
    {
        var added = new JsonArray();
        for (var id = 0; id < specialCount; id++)
        {
            added.Add(new JsonObject
            {
                ["id"] = id, ["content"] = vocabulary[id], ["single_word"] = false, ["lstrip"] = false, ["rstrip"] = false,
                ["normalized"] = false, ["special"] = true,
            });
        }

        var vocab = new JsonObject();
        for (var id = 0; id < vocabulary.Count; id++)
        {
            vocab[vocabulary[id]] = id;
        }

        var root = new JsonObject
        {
            ["version"] = "1.0",
            ["added_tokens"] = added,
            ["normalizer"] = new JsonObject { ["type"] = "Replace", ["pattern"] = new JsonObject { ["String"] = " " }, ["content"] = Space.ToString() },
            ["pre_tokenizer"] = new JsonObject
            {
                ["type"] = "Split", ["pattern"] = new JsonObject { ["String"] = " " }, ["behavior"] = "MergedWithPrevious", ["invert"] = false,
            },
            ["decoder"] = new JsonObject
            {
                ["type"] = "Sequence",
                ["decoders"] = new JsonArray(
                    new JsonObject { ["type"] = "Replace", ["pattern"] = new JsonObject { ["String"] = Space.ToString() }, ["content"] = " " },
                    new JsonObject { ["type"] = "ByteFallback" },
                    new JsonObject { ["type"] = "Fuse" }),
            },
            ["model"] = new JsonObject
            {
                ["type"] = "BPE",
                ["unk_token"] = Unknown,
                ["fuse_unk"] = true,
                ["byte_fallback"] = true,
                ["vocab"] = vocab,
                ["merges"] = new JsonArray([.. merges.Select(merge => (JsonNode)new JsonArray(merge.Left, merge.Right))]),
            },
        };
        return root.ToJsonString();
    }
}

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
        SyntheticMerges.Learn(CountWords(), vocabularySize, vocabulary, known, merges);
        SyntheticMerges.AddFiller(vocabularySize, ByteLevelAlphabet.CharForByte((byte)' '), vocabulary, known, merges);

        Directory.CreateDirectory(directory);
        WriteVocabulary(Path.Combine(directory, "vocab.json"), vocabulary);
        WriteMerges(Path.Combine(directory, "merges.txt"), merges);
        WriteTokenizerConfig(Path.Combine(directory, "tokenizer_config.json"));
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

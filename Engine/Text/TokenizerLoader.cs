using System.Text.Json;

namespace OrleansSlm.Engine.Text;

/// <summary>Loads the tokenizer of a model directory: byte-level BPE from <c>vocab.json</c> + <c>merges.txt</c>, else SentencePiece from <c>tokenizer.model</c>.</summary>
public static class TokenizerLoader
{
    public static ITextTokenizer Load(string modelDirectory)
    {
        if (!Directory.Exists(modelDirectory))
        {
            throw new DirectoryNotFoundException($"The model directory '{modelDirectory}' does not exist.");
        }

        var specialTokens = ReadSpecialTokens(modelDirectory);
        var vocab = Path.Combine(modelDirectory, "vocab.json");
        var merges = Path.Combine(modelDirectory, "merges.txt");
        if (File.Exists(vocab) && File.Exists(merges))
        {
            return new ByteLevelBpeTokenizer(vocab, merges, specialTokens);
        }

        var sentencePiece = Path.Combine(modelDirectory, "tokenizer.model");
        if (File.Exists(sentencePiece))
        {
            return new SentencePieceTextTokenizer(sentencePiece, specialTokens);
        }

        throw new InvalidOperationException(
            $"No tokenizer in '{modelDirectory}': expected vocab.json + merges.txt (byte-level BPE) or tokenizer.model (SentencePiece).");
    }

    /// <summary>The special tokens of <c>tokenizer_config.json</c>'s <c>added_tokens_decoder</c> (id → content); those marked non-special stay ordinary text.</summary>
    private static Dictionary<string, int> ReadSpecialTokens(string modelDirectory)
    {
        var tokens = new Dictionary<string, int>(StringComparer.Ordinal);
        var configPath = Path.Combine(modelDirectory, "tokenizer_config.json");
        if (!File.Exists(configPath))
        {
            return tokens;
        }

        using var config = JsonDocument.Parse(File.ReadAllText(configPath));
        if (!config.RootElement.TryGetProperty("added_tokens_decoder", out var added))
        {
            return tokens;
        }

        foreach (var entry in added.EnumerateObject())
        {
            var isSpecial = !entry.Value.TryGetProperty("special", out var special) || special.GetBoolean();
            if (isSpecial && int.TryParse(entry.Name, out var id) && entry.Value.GetProperty("content").GetString() is { Length: > 0 } content)
            {
                tokens[content] = id;
            }
        }

        return tokens;
    }
}

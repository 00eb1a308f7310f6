using System.Text.Json;

namespace OrleansSlm.Engine.Text;

/// <summary>
/// Loads the tokenizer of a model directory: byte-level BPE from <c>vocab.json</c> + <c>merges.txt</c>, else SentencePiece
/// from <c>tokenizer.model</c>, else <c>tokenizer.json</c>. The older files come first because each is read whole by
/// Microsoft.ML.Tokenizers, where <c>tokenizer.json</c> needs this engine's own space and byte-fallback handling, and a
/// cache written before <c>tokenizer.json</c> was read keeps its tokenizer. (For byte-level BPE both forms give the same
/// ids, which the tests check.)
/// </summary>
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

        var tokenizerJson = Path.Combine(modelDirectory, "tokenizer.json");
        if (File.Exists(tokenizerJson))
        {
            return FromTokenizerJson(TokenizerJson.Read(tokenizerJson), specialTokens);
        }

        throw new InvalidOperationException(
            $"No tokenizer in '{modelDirectory}': expected vocab.json + merges.txt (byte-level BPE), tokenizer.model (SentencePiece) or tokenizer.json.");
    }

    /// <summary>The special tokens of <c>tokenizer.json</c>'s <c>added_tokens</c>, with <c>tokenizer_config.json</c>'s taking precedence where both name one.</summary>
    private static ITextTokenizer FromTokenizerJson(TokenizerJson description, Dictionary<string, int> configured)
    {
        var specialTokens = new Dictionary<string, int>(description.SpecialTokens, StringComparer.Ordinal);
        foreach (var (content, id) in configured)
        {
            specialTokens[content] = id;
        }

        return description.ByteLevel
            ? new ByteLevelBpeTokenizer(description, specialTokens)
            : new ByteFallbackBpeTokenizer(description, specialTokens);
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

using System.Text.Json;
using System.Text.Json.Nodes;

namespace OrleansSlm.Tests.Text;

/// <summary>Writes <c>tokenizer.json</c> files: one rewritten from a <c>vocab.json</c> + <c>merges.txt</c> pair, and a small hand-made Gemma-style one.</summary>
public static class TokenizerJsonFiles
{
    public const string StartOfTurn = "<start_of_turn>";
    public const string EndOfTurn = "<end_of_turn>";

    /// <summary>The Gemma-style fixture's merges, in rank order; each product is a vocabulary entry.</summary>
    public static readonly (string Left, string Right)[] GemmaMerges =
    [
        ("h", "e"), ("l", "l"), ("he", "ll"), ("hell", "o"), ("▁", "w"), ("o", "r"), ("▁w", "or"), ("中", "文"), ("▁", "h"),
    ];

    /// <summary>
    /// SmolLM2's layout: digits split one by one, then byte-level BPE; special tokens from <c>tokenizer_config.json</c>
    /// become <c>added_tokens</c>. Merges are written as <c>"a b"</c> strings or as <c>[a, b]</c> pairs.
    /// </summary>
    public static void WriteByteLevel(string sourceDirectory, string targetPath, bool mergesAsPairs)
    {
        var vocabulary = JsonNode.Parse(File.ReadAllText(Path.Combine(sourceDirectory, "vocab.json")))!;
        var merges = new JsonArray();
        foreach (var line in File.ReadLines(Path.Combine(sourceDirectory, "merges.txt")).Where(line => line.Length > 0 && !line.StartsWith("#version", StringComparison.Ordinal)))
        {
            var parts = line.Split(' ');
            merges.Add(mergesAsPairs ? new JsonArray(parts[0], parts[1]) : line);
        }

        var added = new JsonArray();
        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(sourceDirectory, "tokenizer_config.json")));
        foreach (var entry in config.RootElement.GetProperty("added_tokens_decoder").EnumerateObject())
        {
            added.Add(AddedToken(int.Parse(entry.Name), entry.Value.GetProperty("content").GetString()!, special: true));
        }

        var root = new JsonObject
        {
            ["version"] = "1.0",
            ["added_tokens"] = added,
            ["normalizer"] = null,
            ["pre_tokenizer"] = new JsonObject
            {
                ["type"] = "Sequence",
                ["pretokenizers"] = new JsonArray(
                    new JsonObject { ["type"] = "Digits", ["individual_digits"] = true },
                    new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = false, ["trim_offsets"] = true, ["use_regex"] = true }),
            },
            ["decoder"] = new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = true, ["trim_offsets"] = true, ["use_regex"] = true },
            ["model"] = new JsonObject
            {
                ["type"] = "BPE",
                ["byte_fallback"] = false,
                ["vocab"] = vocabulary,
                ["merges"] = merges,
            },
        };
        File.WriteAllText(targetPath, root.ToJsonString());
    }

    /// <summary>
    /// Gemma 3's layout with a tiny vocabulary: ids 0-3 are pad, eos, bos and unk, 4-259 the byte tokens
    /// <c>&lt;0x00&gt;</c>…<c>&lt;0xFF&gt;</c>, then the turn markers, the characters of <see cref="Characters"/> and the products
    /// of <see cref="GemmaMerges"/>. Spaces become <c>▁</c> in the normalizer; merges are <c>[a, b]</c> pairs.
    /// </summary>
    public static Dictionary<string, int> WriteGemma(string targetPath)
    {
        var tokens = new List<string> { "<pad>", "<eos>", "<bos>", "<unk>" };
        tokens.AddRange(Enumerable.Range(0, 256).Select(b => $"<0x{b:X2}>"));
        tokens.Add(StartOfTurn);
        tokens.Add(EndOfTurn);
        tokens.AddRange(Characters.EnumerateRunes().Select(rune => rune.ToString()));
        tokens.AddRange(GemmaMerges.Select(merge => merge.Left + merge.Right));
        var vocabulary = tokens.Select((token, id) => (token, id)).ToDictionary(pair => pair.token, pair => pair.id, StringComparer.Ordinal);

        var added = new JsonArray();
        foreach (var special in new[] { "<pad>", "<eos>", "<bos>", "<unk>", StartOfTurn, EndOfTurn })
        {
            added.Add(AddedToken(vocabulary[special], special, special: true));
        }

        var vocab = new JsonObject();
        foreach (var (token, id) in vocabulary)
        {
            vocab[token] = id;
        }

        var root = new JsonObject
        {
            ["version"] = "1.0",
            ["added_tokens"] = added,
            ["normalizer"] = new JsonObject { ["type"] = "Replace", ["pattern"] = new JsonObject { ["String"] = " " }, ["content"] = "▁" },
            ["pre_tokenizer"] = new JsonObject
            {
                ["type"] = "Split", ["pattern"] = new JsonObject { ["String"] = " " }, ["behavior"] = "MergedWithPrevious", ["invert"] = false,
            },
            ["decoder"] = new JsonObject
            {
                ["type"] = "Sequence",
                ["decoders"] = new JsonArray(
                    new JsonObject { ["type"] = "Replace", ["pattern"] = new JsonObject { ["String"] = "▁" }, ["content"] = " " },
                    new JsonObject { ["type"] = "ByteFallback" },
                    new JsonObject { ["type"] = "Fuse" }),
            },
            ["model"] = new JsonObject
            {
                ["type"] = "BPE",
                ["unk_token"] = "<unk>",
                ["fuse_unk"] = true,
                ["byte_fallback"] = true,
                ["vocab"] = vocab,
                ["merges"] = new JsonArray([.. GemmaMerges.Select(merge => (JsonNode)new JsonArray(merge.Left, merge.Right))]),
            },
        };
        File.WriteAllText(targetPath, root.ToJsonString());
        return vocabulary;
    }

    /// <summary>
    /// Llama 2's layout over the Gemma-style vocabulary: no normalizer; a <c>Metaspace</c> pre-tokenizer turns spaces into
    /// <c>▁</c>, cuts before each, and puts one before the text (<c>prepend_scheme</c> "first"), which its decoder takes off.
    /// </summary>
    public static Dictionary<string, int> WriteMetaspace(string targetPath)
    {
        var vocabulary = WriteGemma(targetPath);
        var root = JsonNode.Parse(File.ReadAllText(targetPath))!.AsObject();
        root["normalizer"] = null;
        root["pre_tokenizer"] = new JsonObject { ["type"] = "Metaspace", ["replacement"] = "▁", ["prepend_scheme"] = "first", ["split"] = true };
        root["decoder"] = new JsonObject { ["type"] = "Metaspace", ["replacement"] = "▁", ["prepend_scheme"] = "first", ["split"] = true };
        File.WriteAllText(targetPath, root.ToJsonString());
        return vocabulary;
    }

    /// <summary>The characters of the Gemma-style fixture: ASCII letters and digits, <c>▁</c>, é and 中文; no emoji, no ü, no newline.</summary>
    public const string Characters = "▁abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,!?é中文";

    private static JsonObject AddedToken(int id, string content, bool special) => new()
    {
        ["id"] = id,
        ["content"] = content,
        ["single_word"] = false,
        ["lstrip"] = false,
        ["rstrip"] = false,
        ["normalized"] = false,
        ["special"] = special,
    };
}

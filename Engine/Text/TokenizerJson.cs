using System.Text.Json;

namespace OrleansSlm.Engine.Text;

/// <summary>
/// What this engine reads of Hugging Face's <c>tokenizer.json</c>: a BPE model (vocabulary, merges, byte fallback,
/// unknown token), how spaces are written (byte-level or a <c>▁</c> replacement), and the special added tokens.
/// </summary>
internal sealed class TokenizerJson
{
    private TokenizerJson(JsonElement root)
    {
        var model = root.GetProperty("model");
        var type = model.TryGetProperty("type", out var typeElement) ? typeElement.GetString() : "BPE";
        if (type != "BPE")
        {
            throw new NotSupportedException($"tokenizer.json model type '{type}' is not supported; only BPE is.");
        }

        Vocabulary = model.GetProperty("vocab").EnumerateObject().ToDictionary(entry => entry.Name, entry => entry.Value.GetInt32(), StringComparer.Ordinal);
        Merges = [.. model.GetProperty("merges").EnumerateArray().Select(ReadMerge)];
        ByteFallback = model.TryGetProperty("byte_fallback", out var fallback) && fallback.ValueKind == JsonValueKind.True;
        FuseUnknown = model.TryGetProperty("fuse_unk", out var fuse) && fuse.ValueKind == JsonValueKind.True;
        UnknownToken = model.TryGetProperty("unk_token", out var unknown) && unknown.ValueKind == JsonValueKind.String ? unknown.GetString() : null;

        var preTokenizers = Flatten(root, "pre_tokenizer", "pretokenizers");
        if (preTokenizers.FirstOrDefault(step => !IsUnderstood(step)) is { ValueKind: JsonValueKind.Object } unknownStep)
        {
            throw new NotSupportedException($"tokenizer.json pre-tokenizer '{unknownStep}' is not supported.");
        }

        var normalizers = Flatten(root, "normalizer", "normalizers");
        var decoders = Flatten(root, "decoder", "decoders");
        ByteLevel = preTokenizers.Any(step => TypeOf(step) == "ByteLevel") || decoders.Any(step => TypeOf(step) == "ByteLevel");
        SplitDigits = preTokenizers.Any(step => TypeOf(step) == "Digits");
        ReadSpaces(preTokenizers, normalizers, decoders);

        SpecialTokens = root.TryGetProperty("added_tokens", out var added)
            ? added.EnumerateArray()
                .Where(token => token.TryGetProperty("special", out var special) && special.ValueKind == JsonValueKind.True)
                .ToDictionary(token => token.GetProperty("content").GetString()!, token => token.GetProperty("id").GetInt32(), StringComparer.Ordinal)
            : new Dictionary<string, int>(StringComparer.Ordinal);
    }

    public Dictionary<string, int> Vocabulary { get; }

    /// <summary>Merges as <c>"left right"</c> lines, the form Microsoft.ML.Tokenizers reads.</summary>
    public string[] Merges { get; }

    public bool ByteFallback { get; }

    public bool FuseUnknown { get; }

    public string? UnknownToken { get; }

    /// <summary>GPT-2 byte-level BPE (SmolLM2); otherwise spaces are written as <see cref="SpaceReplacement"/> (Gemma, Llama 2).</summary>
    public bool ByteLevel { get; }

    /// <summary>Whether a <c>Digits</c> pre-tokenizer makes every digit a piece of its own.</summary>
    public bool SplitDigits { get; }

    public string SpaceReplacement { get; private set; } = "▁";

    /// <summary>Whether a <c>Metaspace</c> pre-tokenizer cuts the text before every <see cref="SpaceReplacement"/>.</summary>
    public bool SplitAtSpaces { get; private set; }

    /// <summary>Where a <see cref="SpaceReplacement"/> is put before the text: Metaspace's prepend scheme, or a <c>Prepend</c> normalizer (every section).</summary>
    public SpacePrepend Prepend { get; private set; }

    /// <summary>Whether decoding drops one leading space (Metaspace decoder with a prepend scheme, or a <c>Strip</c> decoder).</summary>
    public bool StripLeadingSpace { get; private set; }

    /// <summary>Special tokens from <c>added_tokens</c>; those marked non-special stay ordinary text, as with <c>tokenizer_config.json</c>.</summary>
    public Dictionary<string, int> SpecialTokens { get; }

    public static TokenizerJson Read(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return new TokenizerJson(document.RootElement);
    }

    private void ReadSpaces(List<JsonElement> preTokenizers, List<JsonElement> normalizers, List<JsonElement> decoders)
    {
        foreach (var step in preTokenizers.Where(step => TypeOf(step) == "Metaspace"))
        {
            SpaceReplacement = step.TryGetProperty("replacement", out var replacement) ? replacement.GetString()! : SpaceReplacement;
            SplitAtSpaces = !step.TryGetProperty("split", out var split) || split.ValueKind == JsonValueKind.True;
            Prepend = PrependOf(step);
        }

        foreach (var step in normalizers.Where(step => TypeOf(step) == "Replace" && PatternOf(step) == " "))
        {
            SpaceReplacement = step.GetProperty("content").GetString()!;
        }

        if (normalizers.Any(step => TypeOf(step) == "Prepend" && step.GetProperty("prepend").GetString() == SpaceReplacement))
        {
            Prepend = SpacePrepend.Always;
        }

        StripLeadingSpace = decoders.Any(step =>
            (TypeOf(step) == "Metaspace" && PrependOf(step) != SpacePrepend.Never)
            || (TypeOf(step) == "Strip" && step.TryGetProperty("start", out var start) && start.GetInt32() > 0));
    }

    /// <summary>
    /// The pre-tokenizers this engine follows. A <c>Split</c> on a literal space (Gemma 3) comes after the normalizer
    /// has turned every space into <c>▁</c>, so it never cuts anything.
    /// </summary>
    private static bool IsUnderstood(JsonElement step) =>
        TypeOf(step) is "ByteLevel" or "Digits" or "Metaspace" || (TypeOf(step) == "Split" && PatternOf(step) == " ");

    /// <summary>Metaspace's <c>prepend_scheme</c>, or the older <c>add_prefix_space</c>, which meant "always".</summary>
    private static SpacePrepend PrependOf(JsonElement metaspace) =>
        metaspace.TryGetProperty("prepend_scheme", out var scheme) ? scheme.GetString() switch
        {
            "first" => SpacePrepend.First,
            "never" => SpacePrepend.Never,
            _ => SpacePrepend.Always,
        }
        : metaspace.TryGetProperty("add_prefix_space", out var prefix) && prefix.ValueKind == JsonValueKind.True ? SpacePrepend.Always
        : SpacePrepend.Never;

    private static string ReadMerge(JsonElement merge)
    {
        var (left, right) = merge.ValueKind == JsonValueKind.Array
            ? (merge[0].GetString()!, merge[1].GetString()!)
            : SplitMergeLine(merge.GetString()!);
        if (left.Contains(' ') || right.Contains(' '))
        {
            // Microsoft.ML.Tokenizers reads a merge as one space-separated line, so a token holding a space cannot be merged.
            throw new NotSupportedException($"The merge ('{left}', '{right}') holds a token with a space, which this engine cannot merge.");
        }

        return left + " " + right;
    }

    private static (string Left, string Right) SplitMergeLine(string line)
    {
        var space = line.IndexOf(' ', StringComparison.Ordinal);
        return space < 0 ? throw new InvalidDataException($"The merge '{line}' is not two tokens.") : (line[..space], line[(space + 1)..]);
    }

    /// <summary>A step and, for a <c>Sequence</c>, the steps inside it, in order.</summary>
    private static List<JsonElement> Flatten(JsonElement root, string name, string sequenceName)
    {
        var steps = new List<JsonElement>();
        if (root.TryGetProperty(name, out var step) && step.ValueKind == JsonValueKind.Object)
        {
            AddSteps(step, sequenceName, steps);
        }

        return steps;
    }

    private static void AddSteps(JsonElement step, string sequenceName, List<JsonElement> steps)
    {
        if (TypeOf(step) == "Sequence" && step.TryGetProperty(sequenceName, out var inner))
        {
            foreach (var child in inner.EnumerateArray())
            {
                AddSteps(child, sequenceName, steps);
            }

            return;
        }

        steps.Add(step);
    }

    private static string? TypeOf(JsonElement step) => step.TryGetProperty("type", out var type) ? type.GetString() : null;

    private static string? PatternOf(JsonElement step) =>
        step.TryGetProperty("pattern", out var pattern) && pattern.TryGetProperty("String", out var literal) ? literal.GetString() : null;
}

using System.Text.Json.Nodes;
using OrleansSlm.Engine.Text;

namespace OrleansSlm.Tests.Text;

public sealed class TokenizerJsonTests : IDisposable
{
    private static readonly string[] Texts =
    [
        "The quick brown fox jumps over the lazy dog.",
        "  leading and trailing spaces  \n\tand tabs\r\n",
        "Prices: 12345 apples cost 3.50, order #42.",
        "Année, naïve café, Größe, привет мир, 中文 日本語のテキスト",
        "Emoji: 😀🍎👩‍👩‍👧 and a flag 🇫🇷!",
        "hello world hello   world",
        "it's what they'll do, we've seen I'm",
        "",
    ];

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "orleansslm-tokenizer-json-" + Guid.NewGuid().ToString("N"));

    public TokenizerJsonTests() => Directory.CreateDirectory(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    public static TheoryData<bool> MergeForms => [false, true];

    private static readonly string[] TextsWithSpecialTokens = [.. Texts, "<|im_start|>user\nHi 😀<|im_end|>\n<|endoftext|>"];

    public static TheoryData<string> AllTexts => [.. TextsWithSpecialTokens];

    [Theory]
    [MemberData(nameof(MergeForms))]
    public void Byte_level_tokenizer_json_encodes_exactly_as_vocab_json_and_merges_txt(bool mergesAsPairs)
    {
        var (files, json) = ByteLevelPair(mergesAsPairs);

        Assert.IsNotType<ByteFallbackBpeTokenizer>(json);
        foreach (var text in TextsWithSpecialTokens)
        {
            Assert.Equal(files.Encode(text), json.Encode(text));
        }

        Assert.Equal(files.VocabularySize, json.VocabularySize);
    }

    [Theory]
    [MemberData(nameof(AllTexts))]
    public void Byte_level_tokenizer_json_round_trips(string text)
    {
        var (_, json) = ByteLevelPair(mergesAsPairs: true);

        var ids = json.Encode(text);

        Assert.Equal(text, json.Decode(ids, skipSpecialTokens: false));
        Assert.All(ids, id => Assert.InRange(id, 0, json.VocabularySize - 1));
    }

    [Fact]
    public void Byte_level_tokenizer_json_takes_special_tokens_from_added_tokens_and_splits_digits()
    {
        var (_, json) = ByteLevelPair(mergesAsPairs: false);

        var ids = json.Encode("<|im_start|>2024<|im_end|>");

        Assert.Equal(6, ids.Count);
        Assert.Equal([1, 2], new[] { ids[0], ids[^1] });
        Assert.Equal("2024", json.Decode(ids));
        Assert.Equal(["2", "0", "2", "4"], ids.Skip(1).Take(4).Select(id => json.Decode([id])));
    }

    [Theory]
    [MemberData(nameof(AllTexts))]
    [InlineData("hello world, hello\nworld 中文 ü 😀 123")]
    public void Gemma_style_tokenizer_json_round_trips(string text)
    {
        var tokenizer = Gemma(out _);

        var ids = tokenizer.Encode(text);

        Assert.Equal(text, tokenizer.Decode(ids, skipSpecialTokens: false));
        Assert.All(ids, id => Assert.InRange(id, 0, tokenizer.VocabularySize - 1));
    }

    [Fact]
    public void Gemma_style_merges_apply_by_rank_with_spaces_written_as_the_marker()
    {
        var tokenizer = Gemma(out var vocabulary);

        Assert.Equal(Ids(vocabulary, "hello", "▁wor", "l", "d"), tokenizer.Encode("hello world"));
        Assert.Equal(Ids(vocabulary, "▁", "he", "▁", "▁", "中文", "1", "2"), tokenizer.Encode(" he  中文12"));
        Assert.Equal(Ids(vocabulary, "hell", "▁", "hello"), tokenizer.Encode("hell hello"));
    }

    [Fact]
    public void Gemma_style_characters_outside_the_vocabulary_fall_back_to_their_utf8_bytes()
    {
        var tokenizer = Gemma(out var vocabulary);

        Assert.Equal(Ids(vocabulary, "a", "<0xF0>", "<0x9F>", "<0x98>", "<0x80>", "b"), tokenizer.Encode("a😀b"));
        Assert.Equal(Ids(vocabulary, "é", "<0xC3>", "<0xBC>", "<0x0A>"), tokenizer.Encode("éü\n"));
        Assert.Equal("a😀b", tokenizer.Decode(tokenizer.Encode("a😀b")));
    }

    [Theory]
    [InlineData(true, new[] { "a", "<unk>", "b" })]
    [InlineData(false, new[] { "a", "<unk>", "<unk>", "b" })]
    public void Without_byte_fallback_unknown_characters_become_the_unknown_token_fused_when_asked(bool fuse, string[] expected)
    {
        var directory = Path.Combine(_directory, "no-fallback");
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, "tokenizer.json");
        var vocabulary = TokenizerJsonFiles.WriteGemma(path);
        var root = JsonNode.Parse(File.ReadAllText(path))!;
        root["model"]!["byte_fallback"] = false;
        root["model"]!["fuse_unk"] = fuse;
        File.WriteAllText(path, root.ToJsonString());

        Assert.Equal(Ids(vocabulary, expected), TokenizerLoader.Load(directory).Encode("a😀üb"));
    }

    [Fact]
    public void Gemma_style_special_tokens_are_single_ids_kept_or_skipped_on_decode()
    {
        var tokenizer = Gemma(out var vocabulary);
        var text = "<bos><start_of_turn>user\nhello<end_of_turn>";

        var ids = tokenizer.Encode(text);

        Assert.Equal(
            [vocabulary["<bos>"], vocabulary[TokenizerJsonFiles.StartOfTurn], .. Ids(vocabulary, "u", "s", "e", "r", "<0x0A>", "hello"), vocabulary[TokenizerJsonFiles.EndOfTurn]],
            ids);
        Assert.Equal(text, tokenizer.Decode(ids, skipSpecialTokens: false));
        Assert.Equal("user\nhello", tokenizer.Decode(ids));
        Assert.Equal(vocabulary[TokenizerJsonFiles.EndOfTurn], tokenizer.TokenToId(TokenizerJsonFiles.EndOfTurn));
        Assert.Equal(vocabulary["▁wor"], tokenizer.TokenToId("▁wor"));
        Assert.Null(tokenizer.TokenToId("world"));
    }

    [Fact]
    public void Metaspace_cuts_before_each_space_and_prepends_one_only_where_the_text_starts()
    {
        var directory = Path.Combine(_directory, "metaspace");
        Directory.CreateDirectory(directory);
        var vocabulary = TokenizerJsonFiles.WriteMetaspace(Path.Combine(directory, "tokenizer.json"));
        var tokenizer = TokenizerLoader.Load(directory);

        // "▁hello▁world", cut before the second marker; in "▁hello" the merge ("h", "e") outranks ("▁", "h"), so the first marker stays alone.
        Assert.Equal(Ids(vocabulary, "▁", "hello", "▁wor", "l", "d"), tokenizer.Encode("hello world"));
        Assert.Equal("hello world", tokenizer.Decode(tokenizer.Encode("hello world")));
        Assert.Equal(Ids(vocabulary, "<bos>", "hello"), tokenizer.Encode("<bos>hello"));
        Assert.Equal("<bos>hello", tokenizer.Decode(tokenizer.Encode("<bos>hello"), skipSpecialTokens: false));
        Assert.Equal(" two  spaces 😀", tokenizer.Decode(tokenizer.Encode(" two  spaces 😀")));
    }

    [Fact]
    public void Existing_vocab_json_and_merges_txt_are_preferred_to_tokenizer_json()
    {
        SyntheticTokenizer.Write(_directory, 400);
        TokenizerJsonFiles.WriteGemma(Path.Combine(_directory, "tokenizer.json"));

        var tokenizer = TokenizerLoader.Load(_directory);

        Assert.IsType<ByteLevelBpeTokenizer>(tokenizer);
        Assert.Equal(400, tokenizer.VocabularySize);
    }

    private static int[] Ids(Dictionary<string, int> vocabulary, params string[] tokens) => [.. tokens.Select(token => vocabulary[token])];

    private ITextTokenizer Gemma(out Dictionary<string, int> vocabulary)
    {
        var directory = Path.Combine(_directory, "gemma");
        Directory.CreateDirectory(directory);
        vocabulary = TokenizerJsonFiles.WriteGemma(Path.Combine(directory, "tokenizer.json"));
        var tokenizer = TokenizerLoader.Load(directory);
        Assert.IsType<ByteFallbackBpeTokenizer>(tokenizer);
        return tokenizer;
    }

    /// <summary>The synthetic SmolLM2-style tokenizer loaded from its <c>vocab.json</c> + <c>merges.txt</c>, and from a <c>tokenizer.json</c> alone.</summary>
    private (ITextTokenizer Files, ITextTokenizer Json) ByteLevelPair(bool mergesAsPairs)
    {
        var source = Path.Combine(_directory, "source");
        var jsonOnly = Path.Combine(_directory, "json-only");
        SyntheticTokenizer.Write(source, SyntheticTokenizerFixture.VocabularySize);
        Directory.CreateDirectory(jsonOnly);
        TokenizerJsonFiles.WriteByteLevel(source, Path.Combine(jsonOnly, "tokenizer.json"), mergesAsPairs);
        return (TokenizerLoader.Load(source), TokenizerLoader.Load(jsonOnly));
    }
}

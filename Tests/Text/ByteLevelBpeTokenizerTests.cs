using System.Text.Json;
using OrleansSlm.Engine.Text;

namespace OrleansSlm.Tests.Text;

public sealed class ByteLevelBpeTokenizerTests(SyntheticTokenizerFixture fixture) : IClassFixture<SyntheticTokenizerFixture>
{
    private ITextTokenizer Tokenizer => fixture.Tokenizer;

    [Theory]
    [InlineData("The quick brown fox jumps over the lazy dog.")]
    [InlineData("  leading and trailing spaces  \n\tand tabs\r\n")]
    [InlineData("Année, naïve café, Größe, привет мир, 日本語のテキスト")]
    [InlineData("Emoji: 😀🍎👩‍👩‍👧 and a flag 🇫🇷!")]
    [InlineData("Prices: 12345 apples cost 3.50, order #42.")]
    public void Decoding_the_encoding_gives_back_the_text(string text)
    {
        var ids = Tokenizer.Encode(text);

        Assert.Equal(text, Tokenizer.Decode(ids));
        Assert.All(ids, id => Assert.InRange(id, 0, Tokenizer.VocabularySize - 1));
    }

    [Fact]
    public void Learned_merges_make_common_words_shorter_than_their_bytes()
    {
        var ids = Tokenizer.Encode("the apple is red");

        Assert.True(ids.Count < "the apple is red".Length, $"expected merges, got {ids.Count} tokens");
    }

    [Fact]
    public void Digits_are_split_one_by_one()
    {
        var ids = Tokenizer.Encode("2024");

        Assert.Equal(4, ids.Count);
        Assert.Equal(["2", "0", "2", "4"], ids.Select(id => Tokenizer.Decode([id])));
    }

    [Fact]
    public void Special_tokens_are_matched_whole_and_kept_or_skipped_on_decode()
    {
        var text = "<|im_start|>user\nHi<|im_end|>\n<|endoftext|>";

        var ids = Tokenizer.Encode(text);

        Assert.Equal(1, ids[0]);
        Assert.Contains(2, ids);
        Assert.Equal(0, ids[^1]);
        Assert.Equal(3, ids.Count(id => id <= 2));
        Assert.Equal(text, Tokenizer.Decode(ids, skipSpecialTokens: false));
        Assert.Equal("user\nHi\n", Tokenizer.Decode(ids));
    }

    [Fact]
    public void A_broken_special_token_is_ordinary_text()
    {
        var ids = Tokenizer.Encode("<|im_sta rt|>");

        Assert.DoesNotContain(1, ids);
        Assert.Equal("<|im_sta rt|>", Tokenizer.Decode(ids));
    }

    [Fact]
    public void Token_to_id_finds_special_tokens_and_single_tokens()
    {
        Assert.Equal(0, Tokenizer.TokenToId("<|endoftext|>"));
        Assert.Equal(1, Tokenizer.TokenToId("<|im_start|>"));
        Assert.Equal(2, Tokenizer.TokenToId("<|im_end|>"));
        Assert.NotNull(Tokenizer.TokenToId("a"));
        Assert.Null(Tokenizer.TokenToId("this is not one token"));
    }

    [Fact]
    public void The_synthetic_vocabulary_has_exactly_the_requested_size()
    {
        using var vocab = JsonDocument.Parse(File.ReadAllText(Path.Combine(fixture.Directory, "vocab.json")));
        var ids = vocab.RootElement.EnumerateObject().Select(entry => entry.Value.GetInt32()).Order().ToList();

        Assert.Equal(Enumerable.Range(0, SyntheticTokenizerFixture.VocabularySize), ids);
        Assert.Equal(SyntheticTokenizerFixture.VocabularySize, Tokenizer.VocabularySize);
    }

    [Fact]
    public void A_smollm2_sized_synthetic_tokenizer_is_written_deterministically()
    {
        var first = Path.Combine(fixture.Directory, "big-1");
        var second = Path.Combine(fixture.Directory, "big-2");

        SyntheticTokenizer.Write(first, 49152);
        SyntheticTokenizer.Write(second, 49152);
        var tokenizer = TokenizerLoader.Load(first);

        Assert.Equal(49152, tokenizer.VocabularySize);
        Assert.Equal(File.ReadAllBytes(Path.Combine(first, "merges.txt")), File.ReadAllBytes(Path.Combine(second, "merges.txt")));
        Assert.Equal("Hello 123 😀", tokenizer.Decode(tokenizer.Encode("Hello 123 😀")));
    }

    [Fact]
    public void A_vocabulary_smaller_than_the_byte_alphabet_is_refused()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => SyntheticTokenizer.Write(Path.Combine(fixture.Directory, "small"), 100));

        Assert.Contains("at least 259", error.Message);
    }

    [Fact]
    public void A_directory_without_tokenizer_files_fails_with_a_clear_message()
    {
        var empty = System.IO.Directory.CreateDirectory(Path.Combine(fixture.Directory, "empty")).FullName;

        var error = Assert.Throws<InvalidOperationException>(() => TokenizerLoader.Load(empty));

        Assert.Contains("vocab.json + merges.txt", error.Message);
        Assert.Contains("tokenizer.model", error.Message);
    }
}

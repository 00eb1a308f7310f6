using System.Text;
using OrleansSlm.Engine.Text;

namespace OrleansSlm.Tests.Text;

public sealed class StreamingDetokenizerTests(SyntheticTokenizerFixture fixture) : IClassFixture<SyntheticTokenizerFixture>
{
    [Theory]
    [InlineData("An apple 🍎 a day, 😀 naïve café 日本")]
    [InlineData("👩‍👩‍👧🇫🇷")]
    public void Pieces_never_hold_a_broken_character_and_join_to_the_full_text(string text)
    {
        var tokenizer = fixture.Tokenizer;
        var ids = tokenizer.Encode(text);
        var detokenizer = new StreamingDetokenizer(tokenizer);

        var pieces = ids.Select(detokenizer.Push).Append(detokenizer.Flush()).ToList();

        Assert.True(ids.Any(id => tokenizer.Decode([id]).Contains('\uFFFD')), "the text should contain characters spread over several byte tokens");
        Assert.All(pieces, piece => Assert.DoesNotContain('\uFFFD', piece));
        Assert.All(pieces, piece => Assert.False(piece.Length > 0 && char.IsHighSurrogate(piece[^1]), "a piece ends inside a surrogate pair"));
        Assert.Equal(text, string.Concat(pieces));
    }

    [Fact]
    public void An_emoji_split_over_byte_tokens_is_held_back_until_it_completes()
    {
        var tokenizer = fixture.Tokenizer;
        var ids = tokenizer.Encode("😀");
        var detokenizer = new StreamingDetokenizer(tokenizer);

        var pieces = ids.Select(detokenizer.Push).ToList();

        Assert.True(ids.Count > 1);
        Assert.All(pieces.Take(pieces.Count - 1), piece => Assert.Equal(string.Empty, piece));
        Assert.Equal("😀", pieces[^1]);
        Assert.Equal(string.Empty, detokenizer.Flush());
    }

    [Fact]
    public void Flush_releases_an_unfinished_character_as_a_replacement_character()
    {
        var tokenizer = fixture.Tokenizer;
        var firstByteOfEmoji = tokenizer.Encode("😀")[0];
        var detokenizer = new StreamingDetokenizer(tokenizer);

        Assert.Equal(string.Empty, detokenizer.Push(firstByteOfEmoji));
        Assert.Equal("\uFFFD", detokenizer.Flush());
        Assert.Equal(4, Encoding.UTF8.GetByteCount("😀"));
    }
}

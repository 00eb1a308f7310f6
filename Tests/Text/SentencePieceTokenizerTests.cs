using Google.Protobuf;
using OrleansSlm.Engine.Text;

namespace OrleansSlm.Tests.Text;

/// <summary>The SentencePiece path on a tiny Gemma-like BPE <c>tokenizer.model</c> written here with the official protobuf field numbers.</summary>
public sealed class SentencePieceTokenizerTests : IDisposable
{
    private const int Normal = 1, Unknown = 2, Control = 3, UserDefined = 4, Byte = 6;

    private readonly string _directory = Directory.CreateTempSubdirectory("orleansslm-spm-").FullName;
    private readonly ITextTokenizer _tokenizer;

    public SentencePieceTokenizerTests()
    {
        List<(string Piece, float Score, int Type)> pieces =
        [
            ("<pad>", 0, Control), ("<eos>", 0, Control), ("<bos>", 0, Control), ("<unk>", 0, Unknown),
            ("<start_of_turn>", 0, UserDefined), ("<end_of_turn>", 0, UserDefined),
        ];
        pieces.AddRange(Enumerable.Range(0, 256).Select(b => ($"<0x{b:X2}>", 0f, Byte)));
        var merged = new[] { "▁", "e", "h", "l", "o", "w", "r", "d", "a", "p", "▁h", "he", "ll", "llo", "▁he", "▁hello", "▁w", "or", "▁wor", "ld", "▁world" };
        pieces.AddRange(merged.Select((piece, rank) => (piece, -(float)rank, Normal)));
        File.WriteAllBytes(Path.Combine(_directory, "tokenizer.model"), ModelProto(pieces));
        File.WriteAllText(Path.Combine(_directory, "tokenizer_config.json"), """
            {"added_tokens_decoder": {
              "0": {"content": "<pad>", "special": true}, "1": {"content": "<eos>", "special": true},
              "2": {"content": "<bos>", "special": true}, "4": {"content": "<start_of_turn>", "special": true},
              "5": {"content": "<end_of_turn>", "special": true}}}
            """);
        _tokenizer = TokenizerLoader.Load(_directory);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData("hello world")]
    [InlineData("hello 😀 café")]
    public void Decoding_the_encoding_gives_back_the_text(string text)
    {
        Assert.Equal(text, _tokenizer.Decode(_tokenizer.Encode(text)));
    }

    [Fact]
    public void Known_words_become_single_pieces()
    {
        Assert.Equal([_tokenizer.TokenToId("▁hello")!.Value, _tokenizer.TokenToId("▁world")!.Value], _tokenizer.Encode("hello world"));
    }

    [Fact]
    public void Gemma_turn_markers_are_matched_whole()
    {
        var ids = _tokenizer.Encode("<bos><start_of_turn>user\nhello<end_of_turn>\n");

        Assert.Equal([2, 4], ids.Take(2));
        Assert.Contains(5, ids);
        Assert.Equal("<bos><start_of_turn>user\nhello<end_of_turn>\n", _tokenizer.Decode(ids, skipSpecialTokens: false));
    }

    private static byte[] ModelProto(List<(string Piece, float Score, int Type)> pieces)
    {
        using var buffer = new MemoryStream();
        var output = new CodedOutputStream(buffer);
        foreach (var (piece, score, type) in pieces)
        {
            output.WriteTag(1, WireFormat.WireType.LengthDelimited);
            output.WriteBytes(Message(o =>
            {
                o.WriteTag(1, WireFormat.WireType.LengthDelimited);
                o.WriteString(piece);
                o.WriteTag(2, WireFormat.WireType.Fixed32);
                o.WriteFloat(score);
                o.WriteTag(3, WireFormat.WireType.Varint);
                o.WriteEnum(type);
            }));
        }

        output.WriteTag(2, WireFormat.WireType.LengthDelimited);
        output.WriteBytes(Message(o =>
        {
            o.WriteTag(3, WireFormat.WireType.Varint);
            o.WriteEnum(2); // model_type = BPE
            o.WriteTag(35, WireFormat.WireType.Varint);
            o.WriteBool(true); // byte_fallback
            o.WriteTag(40, WireFormat.WireType.Varint);
            o.WriteInt32(3); // unk_id
            o.WriteTag(41, WireFormat.WireType.Varint);
            o.WriteInt32(2); // bos_id
            o.WriteTag(42, WireFormat.WireType.Varint);
            o.WriteInt32(1); // eos_id
            o.WriteTag(43, WireFormat.WireType.Varint);
            o.WriteInt32(0); // pad_id
        }));
        output.WriteTag(3, WireFormat.WireType.LengthDelimited);
        output.WriteBytes(Message(o =>
        {
            o.WriteTag(1, WireFormat.WireType.LengthDelimited);
            o.WriteString("identity");
            o.WriteTag(3, WireFormat.WireType.Varint);
            o.WriteBool(true); // add_dummy_prefix
            o.WriteTag(4, WireFormat.WireType.Varint);
            o.WriteBool(false); // remove_extra_whitespaces
            o.WriteTag(5, WireFormat.WireType.Varint);
            o.WriteBool(true); // escape_whitespaces
        }));
        output.Flush();
        return buffer.ToArray();
    }

    private static ByteString Message(Action<CodedOutputStream> write)
    {
        using var buffer = new MemoryStream();
        var output = new CodedOutputStream(buffer);
        write(output);
        output.Flush();
        return ByteString.CopyFrom(buffer.ToArray());
    }
}

using OrleansSlm.Engine.Text;

namespace OrleansSlm.Engine.Decoding;

/// <summary>A model ready to serve: its decoder, tokenizer and chat template, and where it came from.</summary>
public sealed record LoadedModel(string Id, string Directory, string GraphPath, bool IsSynthetic, IDecoder Decoder, ITextTokenizer Tokenizer, IChatTemplate ChatTemplate)
    : IDisposable
{
    public void Dispose() => Decoder.Dispose();
}

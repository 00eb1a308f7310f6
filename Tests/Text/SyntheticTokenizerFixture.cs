using OrleansSlm.Engine.Text;

namespace OrleansSlm.Tests.Text;

/// <summary>A synthetic byte-level BPE tokenizer of 512 entries, written once to a temporary directory.</summary>
public sealed class SyntheticTokenizerFixture : IDisposable
{
    public const int VocabularySize = 512;

    public SyntheticTokenizerFixture()
    {
        Directory = Path.Combine(Path.GetTempPath(), "orleansslm-tokenizer-" + Guid.NewGuid().ToString("N"));
        SyntheticTokenizer.Write(Directory, VocabularySize);
        Tokenizer = TokenizerLoader.Load(Directory);
    }

    public string Directory { get; }

    public ITextTokenizer Tokenizer { get; }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}

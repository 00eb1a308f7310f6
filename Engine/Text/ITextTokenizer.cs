namespace OrleansSlm.Engine.Text;

/// <summary>Turns text into token ids and back, with the model's special tokens matched as whole tokens.</summary>
public interface ITextTokenizer
{
    /// <summary>One more than the largest id the tokenizer can produce.</summary>
    int VocabularySize { get; }

    IReadOnlyList<int> Encode(string text);

    string Decode(IReadOnlyList<int> ids, bool skipSpecialTokens = true);

    /// <summary>The id of a token, special or not, by its exact text; null when the vocabulary lacks it.</summary>
    int? TokenToId(string token);
}

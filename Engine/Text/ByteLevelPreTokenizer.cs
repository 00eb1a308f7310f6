using System.Text.RegularExpressions;
using Microsoft.ML.Tokenizers;

namespace OrleansSlm.Engine.Text;

/// <summary>
/// SmolLM2's pre-tokenizer: every digit is a piece of its own, then GPT-2's byte-level pattern splits the text
/// between digits. Running the two stages in order (rather than one merged pattern) keeps whitespace runs intact.
/// Without digit splitting it is GPT-2's pattern alone.
/// </summary>
internal sealed partial class ByteLevelPreTokenizer(bool splitDigits = true) : PreTokenizer
{
    public override IEnumerable<(int Offset, int Length)> PreTokenize(string text) => Split(text);

    public override IEnumerable<(int Offset, int Length)> PreTokenize(ReadOnlySpan<char> text) => Split(text.ToString());

    private List<(int Offset, int Length)> Split(string text)
    {
        if (!splitDigits)
        {
            var whole = new List<(int Offset, int Length)>();
            SplitByPattern(text, 0, text.Length, whole);
            return whole;
        }

        var pieces = new List<(int Offset, int Length)>();
        var start = 0;
        for (var i = 0; i <= text.Length; i++)
        {
            var atDigit = i < text.Length && char.IsDigit(text[i]);
            if (!atDigit && i < text.Length)
            {
                continue;
            }

            SplitByPattern(text, start, i - start, pieces);
            if (atDigit)
            {
                pieces.Add((i, 1));
            }

            start = i + 1;
        }

        return pieces;
    }

    private static void SplitByPattern(string text, int offset, int length, List<(int Offset, int Length)> pieces)
    {
        if (length == 0)
        {
            return;
        }

        foreach (var match in ByteLevelPattern().EnumerateMatches(text.AsSpan(offset, length)))
        {
            pieces.Add((offset + match.Index, match.Length));
        }
    }

    [GeneratedRegex(@"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+")]
    private static partial Regex ByteLevelPattern();
}

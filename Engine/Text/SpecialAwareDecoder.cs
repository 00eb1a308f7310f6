using System.Text;

namespace OrleansSlm.Engine.Text;

/// <summary>Decodes runs of ordinary ids with the model's decoder and writes special tokens by their text (or drops them).</summary>
internal static class SpecialAwareDecoder
{
    public static string Decode(IReadOnlyList<int> ids, IReadOnlyDictionary<int, string> specialById, bool skipSpecialTokens, Func<List<int>, string> decodeRun)
    {
        var text = new StringBuilder();
        var run = new List<int>();
        foreach (var id in ids)
        {
            if (!specialById.TryGetValue(id, out var special))
            {
                run.Add(id);
                continue;
            }

            Drain(run, text, decodeRun);
            if (!skipSpecialTokens)
            {
                text.Append(special);
            }
        }

        Drain(run, text, decodeRun);
        return text.ToString();
    }

    private static void Drain(List<int> run, StringBuilder text, Func<List<int>, string> decodeRun)
    {
        if (run.Count > 0)
        {
            text.Append(decodeRun(run));
            run.Clear();
        }
    }
}

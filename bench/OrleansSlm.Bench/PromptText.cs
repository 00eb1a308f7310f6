namespace OrleansSlm.Bench;

/// <summary>
/// Prompts of a chosen length for the HTTP mode. Each word is a common short English word that byte-level BPE
/// vocabularies (SmolLM2's, and the synthetic models', which learn from similar text) hold as one token with its
/// leading space, so <c>n</c> words are about <c>n</c> tokens. Request <c>i</c> starts <c>i</c> words further into
/// the list, so no two consecutive requests share a prompt that a cache could serve.
/// </summary>
internal static class PromptText
{
    private static readonly string[] Words =
    [
        "the", "sun", "is", "a", "star", "and", "the", "earth", "turns", "around", "it", "once", "a", "year",
        "people", "drink", "water", "eat", "bread", "and", "read", "books", "in", "the", "park", "after", "school",
        "what", "color", "is", "an", "apple", "tell", "me", "about", "the", "weather", "today", "in", "the", "city",
        "children", "play", "while", "their", "parents", "talk", "about", "work", "money", "music", "and", "the",
        "news", "cats", "and", "dogs", "are", "friendly", "animals", "birds", "fly", "in", "the", "sky", "and", "fish",
        "swim", "in", "the", "sea", "there", "are", "seven", "days", "in", "a", "week",
    ];

    public static string Build(int words, int request)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(words, 1);
        return string.Join(' ', Enumerable.Range(request, words).Select(i => Words[i % Words.Length]));
    }
}

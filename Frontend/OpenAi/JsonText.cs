using System.Text.Json;

namespace OrleansSlm.Frontend.OpenAi;

/// <summary>Strings read from a request body's JSON elements, checked for text that no Unicode string can hold.</summary>
public static class JsonText
{
    /// <summary>
    /// The text of a JSON string, or null when it holds a lone UTF-16 surrogate (an escape such as <c>\ud800</c>
    /// without its pair), which System.Text.Json refuses to read as a string.
    /// </summary>
    public static string? ValidString(JsonElement element)
    {
        try
        {
            return element.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    public static IResult InvalidUnicode(string param) =>
        ApiErrors.InvalidRequest($"{param} holds a lone UTF-16 surrogate (a \\uD800–\\uDFFF escape without its pair); send valid Unicode text.", param);
}

using System.Text.Json;

namespace OrleansSlm.Frontend.Chat;

/// <summary>One message; <c>content</c> is a string or an array of <c>{"type":"text","text":…}</c> parts.</summary>
public sealed class ChatMessageBody
{
    public string? Role { get; set; }

    public JsonElement? Content { get; set; }
}

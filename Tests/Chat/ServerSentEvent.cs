namespace OrleansSlm.Tests.Chat;

public static class ServerSentEvent
{
    /// <summary>The <c>data:</c> payloads of an event stream, in order.</summary>
    public static string[] Parse(string stream) =>
        [.. stream.Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
            .Select(block => block.Trim())
            .Where(block => block.StartsWith("data: ", StringComparison.Ordinal))
            .Select(block => block["data: ".Length..])];
}

namespace OrleansSlm.Frontend.Chat;

public sealed class StreamOptionsBody
{
    public bool? IncludeUsage { get; set; }
}

namespace OrleansSlm.Engine.Text;

/// <summary>
/// Where a <c>tokenizer.json</c> puts a space marker before ordinary text: never, only where the text starts (not after
/// a special token), or before every section between special tokens.
/// </summary>
internal enum SpacePrepend
{
    Never,
    First,
    Always,
}

namespace OrleansSlm.Engine.Text;

public sealed record ChatMessage(string Role, string Content);

namespace OrleansSlm.Infrastructure.Text;

public sealed record ChatMessage(string Role, string Content);

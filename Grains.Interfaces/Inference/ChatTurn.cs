namespace OrleansSlm.GrainsInterfaces.Inference;

/// <summary>One message of a conversation: <c>system</c>, <c>user</c> or <c>assistant</c>.</summary>
[GenerateSerializer, Immutable]
public sealed record ChatTurn([property: Id(0)] string Role, [property: Id(1)] string Content);

namespace OrleansSlm.Frontend.Security;

/// <summary>The <c>Auth</c> configuration section.</summary>
public sealed class AuthOptions
{
    public const string SectionName = "Auth";

    /// <summary>Accepted bearer keys (<c>Auth__ApiKeys__0</c>, …). Empty: no key is required.</summary>
    public List<string> ApiKeys { get; set; } = [];
}

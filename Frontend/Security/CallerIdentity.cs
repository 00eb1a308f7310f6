namespace OrleansSlm.Frontend.Security;

/// <summary>Who a request counts against in the rate limits: its API key's digest, or its client address when keys are off.</summary>
public static class CallerIdentity
{
    private static readonly object ItemKey = new();

    public static void Set(HttpContext context, string caller) => context.Items[ItemKey] = caller;

    /// <summary>The identity the request guard set; the client address for a request it did not see.</summary>
    public static string Of(HttpContext context) =>
        context.Items.TryGetValue(ItemKey, out var caller) && caller is string known ? known : ForAddress(context);

    public static string ForAddress(HttpContext context) => $"ip-{context.Connection.RemoteIpAddress}";
}

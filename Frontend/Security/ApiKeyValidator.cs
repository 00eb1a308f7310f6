using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace OrleansSlm.Frontend.Security;

/// <summary>
/// Compares presented keys with the configured ones in constant time: both sides are hashed to equal-length
/// digests first, and every configured key is compared whatever the outcome of the others.
/// </summary>
public sealed class ApiKeyValidator(IOptions<AuthOptions> options)
{
    private readonly byte[][] keyDigests = options.Value.ApiKeys
        .Where(key => !string.IsNullOrWhiteSpace(key))
        .Select(key => SHA256.HashData(Encoding.UTF8.GetBytes(key)))
        .ToArray();

    public bool KeysRequired => keyDigests.Length > 0;

    public bool IsValid(string presentedKey)
    {
        var presented = SHA256.HashData(Encoding.UTF8.GetBytes(presentedKey));
        var valid = false;
        foreach (var digest in keyDigests)
        {
            valid |= CryptographicOperations.FixedTimeEquals(digest, presented);
        }

        return valid;
    }
}

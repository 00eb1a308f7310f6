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
    private readonly byte[][] _keyDigests = options.Value.ApiKeys
        .Where(key => !string.IsNullOrWhiteSpace(key))
        .Select(Digest)
        .ToArray();

    public bool KeysRequired => _keyDigests.Length > 0;

    public static byte[] Digest(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    /// <summary>Whether <paramref name="presentedDigest"/> is the <see cref="Digest"/> of a configured key.</summary>
    public bool IsValid(byte[] presentedDigest)
    {
        var valid = false;
        foreach (var digest in _keyDigests)
        {
            valid |= CryptographicOperations.FixedTimeEquals(digest, presentedDigest);
        }

        return valid;
    }
}

using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace OrleansSlm.Frontend.Security;

/// <summary>
/// The dashboard's session cookie: when it expires and a tag of the key it was opened with, signed with HMAC-SHA256
/// under <c>Dashboard:SessionSecret</c>. Frontends that share the secret accept each other's cookies. A cookie stops
/// working when it expires (<c>Dashboard:SessionHours</c>) or when its key leaves <c>Auth:ApiKeys</c>, since then no
/// configured key has its tag. The tag is itself an HMAC of the key's digest under the secret, so a stolen cookie
/// tells nothing about the key and cannot be turned into one.
/// </summary>
public sealed class DashboardSession(IOptions<DashboardOptions> options, IOptions<AuthOptions> auth, TimeProvider clock)
{
    private const byte Version = 1;
    private const int TagLength = 16;
    private const int ExpiryOffset = 1;
    private const int TagOffset = ExpiryOffset + sizeof(long);
    private const int PayloadLength = TagOffset + TagLength;
    private const int CookieLength = PayloadLength + HMACSHA256.HashSizeInBytes;

    /// <summary>Put before the key's digest when its tag is computed: a tag's input never equals a cookie's payload, so no tag doubles as a signature.</summary>
    private static readonly byte[] TagPurpose = "key:"u8.ToArray();

    private readonly byte[] _secret = options.Value.SessionSecret.Length > 0
        ? Encoding.UTF8.GetBytes(options.Value.SessionSecret)
        : RandomNumberGenerator.GetBytes(32);

    public TimeSpan Lifetime { get; } = TimeSpan.FromHours(options.Value.SessionHours);

    /// <summary>Whether sessions are signed with a configured secret, which other frontends can share.</summary>
    public bool SecretConfigured { get; } = options.Value.SessionSecret.Length > 0;

    /// <summary>The tags of the configured keys, computed once: a cookie is accepted only with one of them.</summary>
    private byte[][] KeyTags => field ??= auth.Value.ApiKeys.Select(key => Tag(ApiKeyValidator.Digest(key))).ToArray();

    /// <summary>A cookie value for a browser that has just shown the key whose digest is <paramref name="keyDigest"/>.</summary>
    public string Issue(byte[] keyDigest)
    {
        var cookie = new byte[CookieLength];
        cookie[0] = Version;
        BinaryPrimitives.WriteInt64BigEndian(cookie.AsSpan(ExpiryOffset), (clock.GetUtcNow() + Lifetime).ToUnixTimeSeconds());
        Tag(keyDigest).CopyTo(cookie.AsSpan(TagOffset));
        HMACSHA256.HashData(_secret, cookie.AsSpan(0, PayloadLength), cookie.AsSpan(PayloadLength));
        return Base64Url.EncodeToString(cookie);
    }

    /// <summary>Whether <paramref name="value"/> is a cookie this deployment signed, not yet expired, for a key still configured.</summary>
    public bool IsValid(string? value)
    {
        if (value is null || value.Length != Base64Url.GetEncodedLength(CookieLength))
        {
            return false;
        }

        var cookie = new byte[CookieLength];
        if (!Base64Url.TryDecodeFromChars(value, cookie, out var written) || written != CookieLength || cookie[0] != Version)
        {
            return false;
        }

        var payload = cookie.AsSpan(0, PayloadLength);
        if (!CryptographicOperations.FixedTimeEquals(HMACSHA256.HashData(_secret, payload), cookie.AsSpan(PayloadLength)))
        {
            return false;
        }

        if (BinaryPrimitives.ReadInt64BigEndian(payload[ExpiryOffset..]) <= clock.GetUtcNow().ToUnixTimeSeconds())
        {
            return false;
        }

        var tag = payload[TagOffset..];
        var known = false;
        foreach (var keyTag in KeyTags)
        {
            known |= CryptographicOperations.FixedTimeEquals(keyTag, tag);
        }

        return known;
    }

    private byte[] Tag(byte[] keyDigest) => HMACSHA256.HashData(_secret, TagPurpose.Concat(keyDigest).ToArray())[..TagLength];
}

using System.Buffers.Text;
using Microsoft.Extensions.Options;
using OrleansSlm.Frontend.Security;
using OrleansSlm.Tests.Support;

namespace OrleansSlm.Tests.Security;

/// <summary>The dashboard's session cookie: signed with the shared secret, time-limited, and bound to a key still configured.</summary>
public sealed class DashboardSessionTests
{
    private const string Secret = "a-session-secret-of-at-least-32-characters";
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_cookie_is_accepted_wherever_the_secret_is_the_same_and_nowhere_else()
    {
        var issuer = Session(Secret, ["operator-key"]);
        var cookie = issuer.Issue(ApiKeyValidator.Digest("operator-key"));

        Assert.True(Session(Secret, ["operator-key"]).IsValid(cookie));
        Assert.False(Session("another-secret-of-at-least-32-characters", ["operator-key"]).IsValid(cookie));
        Assert.False(Session("", ["operator-key"]).IsValid(cookie));
    }

    [Fact]
    public void Without_a_configured_secret_each_frontend_accepts_only_its_own_cookies()
    {
        var first = Session("", ["operator-key"]);
        var second = Session("", ["operator-key"]);
        var cookie = first.Issue(ApiKeyValidator.Digest("operator-key"));

        Assert.True(first.IsValid(cookie));
        Assert.False(second.IsValid(cookie));
    }

    [Fact]
    public void A_cookie_stops_working_once_its_session_hours_have_passed()
    {
        var clock = new ManualClock(Start);
        var session = Session(Secret, ["operator-key"], clock, hours: 8);
        var cookie = session.Issue(ApiKeyValidator.Digest("operator-key"));

        clock.Advance(TimeSpan.FromHours(8) - TimeSpan.FromSeconds(1));
        Assert.True(session.IsValid(cookie));
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.False(session.IsValid(cookie));
    }

    [Fact]
    public void A_cookie_stops_working_when_its_key_leaves_the_configured_keys_while_the_other_keys_cookies_go_on()
    {
        var before = Session(Secret, ["first-key", "second-key"]);
        var firstCookie = before.Issue(ApiKeyValidator.Digest("first-key"));
        var secondCookie = before.Issue(ApiKeyValidator.Digest("second-key"));

        var after = Session(Secret, ["second-key"]);

        Assert.False(after.IsValid(firstCookie));
        Assert.True(after.IsValid(secondCookie));
    }

    [Fact]
    public void A_cookie_with_a_later_expiry_written_in_or_the_bare_key_digest_of_old_is_refused()
    {
        var session = Session(Secret, ["operator-key"]);
        var bytes = Base64Url.DecodeFromChars(session.Issue(ApiKeyValidator.Digest("operator-key")));
        bytes[5]++;

        Assert.False(session.IsValid(Base64Url.EncodeToString(bytes)));
        Assert.False(session.IsValid(Convert.ToHexString(ApiKeyValidator.Digest("operator-key"))));
        Assert.False(session.IsValid("not base64url!"));
    }

    [Fact]
    public void A_cookie_holds_neither_the_key_nor_its_digest()
    {
        var digest = ApiKeyValidator.Digest("operator-key");
        var cookie = Base64Url.DecodeFromChars(Session(Secret, ["operator-key"]).Issue(digest));

        Assert.DoesNotContain(Convert.ToHexString(digest[..8]), Convert.ToHexString(cookie), StringComparison.Ordinal);
    }

    private static DashboardSession Session(string secret, List<string> keys, TimeProvider? clock = null, int hours = 8) => new(
        Options.Create(new DashboardOptions { SessionSecret = secret, SessionHours = hours }),
        Options.Create(new AuthOptions { ApiKeys = keys }),
        clock ?? new ManualClock(Start));
}

using System.Net;
using OrleansSlm.Tests.Support;

namespace OrleansSlm.Tests.Http;

/// <summary>
/// X-Forwarded-For and X-Forwarded-Proto count only from loopback and the configured proxies: the dashboard cookie is
/// <c>Secure</c> when the browser reached the proxy over HTTPS, and the rate limit counts the client behind the proxy.
/// </summary>
public sealed class ForwardedHeadersTests
{
    private const string ConfiguredProxy = "198.51.100.7";
    private const string UnknownPeer = "192.0.2.10";

    [Fact]
    public async Task A_sign_in_forwarded_as_https_by_a_known_proxy_gets_a_secure_cookie_and_one_from_an_unknown_peer_does_not()
    {
        await using var frontend = FrontendFactory.Embedded(new Dictionary<string, string?>
        {
            ["Auth:ApiKeys:0"] = "operator-key",
            ["Http:ForwardedHeaders:KnownNetworks:0"] = "198.51.100.0/24",
        }).WithPeers();
        var client = frontend.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = false });

        var fromLoopbackProxy = await CookieAsync(client, "127.0.0.1", ("X-Forwarded-Proto", "https"));
        var fromConfiguredProxy = await CookieAsync(client, ConfiguredProxy, ("X-Forwarded-Proto", "https"));
        var fromUnknownPeer = await CookieAsync(client, UnknownPeer, ("X-Forwarded-Proto", "https"));
        var plainHttp = await CookieAsync(client, "127.0.0.1");

        Assert.Contains("secure", fromLoopbackProxy, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("secure", fromConfiguredProxy, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("secure", fromUnknownPeer, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("secure", plainHttp, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Without_keys_the_rate_limit_counts_the_client_a_known_proxy_forwards_for_and_the_peer_itself_otherwise()
    {
        await using var frontend = FrontendFactory.Embedded(new Dictionary<string, string?>
        {
            ["RateLimit:RequestsPerMinute"] = "1",
            ["Http:ForwardedHeaders:KnownNetworks:0"] = "198.51.100.0/24",
        }).WithPeers();
        var client = frontend.CreateClient();

        var firstClient = await StatusAsync(client, ConfiguredProxy, "203.0.113.5");
        var firstClientAgain = await StatusAsync(client, ConfiguredProxy, "203.0.113.5");
        var secondClient = await StatusAsync(client, ConfiguredProxy, "203.0.113.6");
        var viaLoopback = await StatusAsync(client, "127.0.0.1", "203.0.113.7");
        var unknownPeer = await StatusAsync(client, UnknownPeer, "203.0.113.8");
        var unknownPeerClaimingAnotherClient = await StatusAsync(client, UnknownPeer, "203.0.113.9");

        Assert.Equal(HttpStatusCode.OK, firstClient);
        Assert.Equal(HttpStatusCode.TooManyRequests, firstClientAgain);
        Assert.Equal(HttpStatusCode.OK, secondClient);
        Assert.Equal(HttpStatusCode.OK, viaLoopback);
        Assert.Equal(HttpStatusCode.OK, unknownPeer);
        Assert.Equal(HttpStatusCode.TooManyRequests, unknownPeerClaimingAnotherClient);
    }

    private static async Task<string> CookieAsync(HttpClient client, string peer, params (string, string)[] forwarded)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/dashboard/login")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["key"] = "operator-key" }),
        }.From(peer, forwarded);
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        return Assert.Single(response.Headers.GetValues("Set-Cookie"));
    }

    private static async Task<HttpStatusCode> StatusAsync(HttpClient client, string peer, string forwardedFor)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/models").From(peer, ("X-Forwarded-For", forwardedFor));
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }
}

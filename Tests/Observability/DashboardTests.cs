using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using OrleansSlm.Tests.Support;

namespace OrleansSlm.Tests.Observability;

/// <summary>The Orleans Dashboard at <c>/dashboard</c> on the embedded frontend, and its sign-in with API keys on.</summary>
public sealed class DashboardTests
{
    private static readonly WebApplicationFactoryClientOptions NoRedirects = new() { AllowAutoRedirect = false, HandleCookies = false };

    [Fact]
    public async Task The_dashboard_serves_its_page_and_reports_the_co_hosted_silo()
    {
        await using var frontend = FrontendFactory.Embedded();
        var client = frontend.CreateClient();

        using var page = await client.GetAsync("/dashboard/");
        var hosts = await DashboardHosts.WaitForAsync(client, TimeSpan.FromSeconds(30));
        using var clusterStats = JsonDocument.Parse(await client.GetStringAsync("/dashboard/ClusterStats"));

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<title>Orleans Dashboard</title>", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(["Active"], hosts);
        Assert.Equal(JsonValueKind.Object, clusterStats.RootElement.ValueKind);
    }

    [Fact]
    public async Task A_sign_in_form_past_the_form_limits_gets_a_400_not_a_500()
    {
        await using var frontend = FrontendFactory.Embedded(new Dictionary<string, string?> { ["Auth:ApiKeys:0"] = "operator-key" });
        var client = frontend.CreateClient(NoRedirects);
        var fields = Enumerable.Range(0, 1_500).Select(i => new KeyValuePair<string, string>($"f{i}", "x")).Append(new("key", "operator-key"));

        using var response = await client.PostAsync("/dashboard/login", new FormUrlEncodedContent(fields));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("too large", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_keys_configured_the_dashboard_needs_the_key_and_a_browser_signs_in_once_through_the_form()
    {
        await using var frontend = FrontendFactory.Embedded(new Dictionary<string, string?> { ["Auth:ApiKeys:0"] = "operator-key" });
        var client = frontend.CreateClient(NoRedirects);

        using var pageWithoutKey = await client.GetAsync("/dashboard/");
        var dataWithoutKey = await ApiErrorAssert.IsErrorAsync(await client.GetAsync("/dashboard/ClusterStats"), HttpStatusCode.Unauthorized);
        using var form = await client.GetAsync("/dashboard/login");
        using var wrongKey = await SignInAsync(client, "operator-kez");
        using var signedIn = await SignInAsync(client, "operator-key");
        var cookie = Assert.Single(signedIn.Headers.GetValues("Set-Cookie"));
        var cookiePair = cookie.Split(';')[0];

        Assert.Equal(HttpStatusCode.Found, pageWithoutKey.StatusCode);
        Assert.Equal("/dashboard/login", pageWithoutKey.Headers.Location?.OriginalString);
        Assert.Equal("invalid_api_key", dataWithoutKey.GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.OK, form.StatusCode);
        Assert.Contains("name=\"key\"", await form.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongKey.StatusCode);
        Assert.False(wrongKey.Headers.Contains("Set-Cookie"));
        Assert.Equal(HttpStatusCode.Found, signedIn.StatusCode);
        Assert.Equal("/dashboard/", signedIn.Headers.Location?.OriginalString);
        Assert.Contains("path=/dashboard", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("operator-key", cookie, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.OK, (await SendAsync(client, "/dashboard/", cookie: cookiePair)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(client, "/dashboard/ClusterStats", cookie: cookiePair)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(client, "/dashboard/ClusterStats", bearer: "operator-key")).StatusCode);
        await ApiErrorAssert.IsErrorAsync(await SendAsync(client, "/users", cookie: cookiePair), HttpStatusCode.Unauthorized);
        await ApiErrorAssert.IsErrorAsync(await SendAsync(client, "/metrics", cookie: cookiePair), HttpStatusCode.Unauthorized);

        // A cookie this deployment did not sign (or one expired, or of a removed key) sends the page back to the form.
        const string forged = "orleansslm-dashboard=AQAAAAB3NZmAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
        using var pageWithForgedCookie = await SendAsync(client, "/dashboard/", cookie: forged);
        var dataWithForgedCookie = await ApiErrorAssert.IsErrorAsync(await SendAsync(client, "/dashboard/ClusterStats", cookie: forged), HttpStatusCode.Unauthorized);
        Assert.Equal("/dashboard/login", pageWithForgedCookie.Headers.Location?.OriginalString);
        Assert.Contains("sign in again", dataWithForgedCookie.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_session_cookie_from_one_frontend_opens_the_dashboard_on_another_that_shares_the_secret()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Auth:ApiKeys:0"] = "operator-key",
            ["Dashboard:SessionSecret"] = "a-session-secret-of-at-least-32-characters",
        };
        await using var issuing = FrontendFactory.Embedded(settings);
        await using var other = FrontendFactory.Embedded(settings);

        using var signedIn = await SignInAsync(issuing.CreateClient(NoRedirects), "operator-key");
        var cookiePair = Assert.Single(signedIn.Headers.GetValues("Set-Cookie")).Split(';')[0];

        Assert.Equal(HttpStatusCode.OK, (await SendAsync(other.CreateClient(NoRedirects), "/dashboard/ClusterStats", cookie: cookiePair)).StatusCode);
    }

    [Fact]
    public async Task After_a_minute_s_failed_sign_ins_an_address_gets_429_with_retry_after_even_with_the_right_key_and_other_addresses_do_not()
    {
        await using var frontend = FrontendFactory.Embedded(new Dictionary<string, string?>
        {
            ["Auth:ApiKeys:0"] = "operator-key",
            ["Dashboard:SignInAttemptsPerMinute"] = "2",
        }).WithPeers();
        var client = frontend.CreateClient(NoRedirects);
        await RateLimitWindow.WaitForRoomAsync();

        var guesses = new[] { (await SignInAsync(client, "guess-1", "192.0.2.10")).StatusCode, (await SignInAsync(client, "guess-2", "192.0.2.10")).StatusCode };
        using var refused = await SignInAsync(client, "operator-key", "192.0.2.10");
        using var elsewhere = await SignInAsync(client, "operator-key", "192.0.2.11");
        var successes = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            successes.Add((await SignInAsync(client, "operator-key", "192.0.2.12")).StatusCode);
        }

        Assert.All(guesses, status => Assert.Equal(HttpStatusCode.Unauthorized, status));
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.InRange(int.Parse(refused.Headers.GetValues("Retry-After").Single()), 1, 60);
        Assert.Contains("Too many failed sign-ins", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False(refused.Headers.Contains("Set-Cookie"));
        Assert.Equal(HttpStatusCode.Found, elsewhere.StatusCode);
        Assert.All(successes, status => Assert.Equal(HttpStatusCode.Found, status));
    }

    private static Task<HttpResponseMessage> SignInAsync(HttpClient client, string key, string? from = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/dashboard/login") { Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["key"] = key }) };
        return client.SendAsync(from is null ? request : request.From(from));
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, string path, string? cookie = null, string? bearer = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (cookie is not null)
        {
            request.Headers.Add("Cookie", cookie);
        }

        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        return client.SendAsync(request);
    }
}

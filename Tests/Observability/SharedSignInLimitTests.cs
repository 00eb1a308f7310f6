using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using OrleansSlm.Tests.Support;

namespace OrleansSlm.Tests.Observability;

/// <summary>Two frontends on one Redis share an address's failed dashboard sign-ins, so guesses spread over frontends get no more tries.</summary>
[Trait(TestCategory.Name, TestCategory.NeedsServers)]
public sealed class SharedSignInLimitTests
{
    [Fact]
    public async Task Failed_sign_ins_on_one_frontend_count_on_the_other()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Auth:ApiKeys:0"] = "operator-key",
            ["Dashboard:SignInAttemptsPerMinute"] = "2",
            ["ConnectionStrings:Redis"] = TestEnvironment.RedisConnectionString,
            ["Cache:KeyPrefix"] = $"test-{Guid.NewGuid():N}:",
        };
        await using var frontendA = FrontendFactory.Embedded(settings).WithPeers();
        await using var frontendB = FrontendFactory.Embedded(settings).WithPeers();
        var options = new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false };
        var clientA = frontendA.CreateClient(options);
        var clientB = frontendB.CreateClient(options);
        await RateLimitWindow.WaitForRoomAsync();

        using var firstGuess = await SignInAsync(clientA, "guess-1");
        using var secondGuess = await SignInAsync(clientB, "guess-2");
        using var third = await SignInAsync(clientA, "operator-key");

        Assert.Equal((HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized), (firstGuess.StatusCode, secondGuess.StatusCode));
        Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
    }

    private static Task<HttpResponseMessage> SignInAsync(HttpClient client, string key) => client.SendAsync(
        new HttpRequestMessage(HttpMethod.Post, "/dashboard/login") { Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["key"] = key }) }
            .From("192.0.2.44"));
}

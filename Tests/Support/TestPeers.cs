using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace OrleansSlm.Tests.Support;

/// <summary>
/// The test host has no connections, so no client address: this gives each request the address in its
/// <see cref="Header"/> header (127.0.0.1 without one), before the frontend's own pipeline judges forwarded headers by it.
/// </summary>
public static class TestPeers
{
    public const string Header = "X-Test-Peer";

    /// <summary><paramref name="frontend"/> with every request coming from the address its <see cref="Header"/> names.</summary>
    public static WebApplicationFactory<Program> WithPeers(this WebApplicationFactory<Program> frontend) =>
        frontend.WithWebHostBuilder(web => web.ConfigureTestServices(services => services.AddSingleton<IStartupFilter, PeerFilter>()));

    /// <summary>A request from <paramref name="peer"/> carrying <paramref name="forwarded"/> headers.</summary>
    public static HttpRequestMessage From(this HttpRequestMessage request, string peer, params (string Name, string Value)[] forwarded)
    {
        request.Headers.Add(Header, peer);
        foreach (var (name, value) in forwarded)
        {
            request.Headers.Add(name, value);
        }

        return request;
    }

    private sealed class PeerFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, rest) =>
            {
                context.Connection.RemoteIpAddress = IPAddress.Parse(context.Request.Headers[Header].FirstOrDefault() ?? "127.0.0.1");
                return rest(context);
            });
            next(app);
        };
    }
}

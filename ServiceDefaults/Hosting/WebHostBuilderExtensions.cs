using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;

namespace OrleansSlm.ServiceDefaults.Hosting;

public static class WebHostBuilderExtensions
{
    /// <summary>Listens on <paramref name="url"/> unless <c>--urls</c>, <c>ASPNETCORE_URLS</c> or an HTTP port setting says otherwise.</summary>
    public static IWebHostBuilder UseDefaultUrl(this IWebHostBuilder webHost, IConfiguration configuration, string url)
    {
        var configured = configuration[WebHostDefaults.ServerUrlsKey] ?? configuration[WebHostDefaults.HttpPortsKey] ?? configuration[WebHostDefaults.HttpsPortsKey];
        return string.IsNullOrWhiteSpace(configured) ? webHost.UseUrls(url) : webHost;
    }
}

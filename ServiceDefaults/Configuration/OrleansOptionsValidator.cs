using System.Net;
using Microsoft.Extensions.Options;

namespace OrleansSlm.ServiceDefaults.Configuration;

/// <summary>Checks the <c>Orleans</c> section; each failure names its key.</summary>
public sealed class OrleansOptionsValidator : IValidateOptions<OrleansOptions>
{
    public ValidateOptionsResult Validate(string? name, OrleansOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.ClusterId))
        {
            failures.Add("Orleans:ClusterId must not be empty.");
        }

        if (string.IsNullOrWhiteSpace(options.ServiceId))
        {
            failures.Add("Orleans:ServiceId must not be empty.");
        }

        foreach (var (key, port) in new[] { ("Orleans:SiloPort", options.SiloPort), ("Orleans:GatewayPort", options.GatewayPort) })
        {
            if (port is < 1 or > 65535)
            {
                failures.Add($"{key} must be a port between 1 and 65535; got {port}.");
            }
        }

        if (options.SiloPort == options.GatewayPort)
        {
            failures.Add($"Orleans:SiloPort and Orleans:GatewayPort must differ; both are {options.SiloPort}.");
        }

        if (!string.IsNullOrWhiteSpace(options.AdvertisedIPAddress) && !IPAddress.TryParse(options.AdvertisedIPAddress, out _))
        {
            failures.Add($"Orleans:AdvertisedIPAddress '{options.AdvertisedIPAddress}' is not an IP address.");
        }

        if (options.ClientConnectTimeoutSeconds < 1)
        {
            failures.Add($"Orleans:ClientConnectTimeoutSeconds must be at least 1; got {options.ClientConnectTimeoutSeconds}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

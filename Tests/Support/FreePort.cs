using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace OrleansSlm.Tests.Support;

public static class FreePort
{
    private static readonly ConcurrentDictionary<int, bool> HandedOut = new();

    /// <summary>
    /// A loopback port nobody listens on right now, chosen by the kernel, and never one this process was given before:
    /// the kernel may offer a just-closed port again, and a silo given the same port for two endpoints cannot start.
    /// </summary>
    public static int Next()
    {
        while (true)
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            if (HandedOut.TryAdd(port, true))
            {
                return port;
            }
        }
    }
}

using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace OrleansSlm.Tests.ModelStore;

/// <summary>
/// A static file server on loopback standing in for the Hugging Face hub or a mirror: serves files under a path
/// prefix, answers byte ranges with 206, and publishes each file's SHA-256 as the hub does (X-Linked-Etag).
/// </summary>
public sealed class LoopbackModelServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Dictionary<string, byte[]> _files = new(StringComparer.Ordinal);
    private readonly Dictionary<string, byte[]> _servedInstead = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Uri> _redirects = new(StringComparer.Ordinal);
    private readonly string _prefix;
    private readonly Task _loop;

    public LoopbackModelServer(string pathPrefix)
    {
        _prefix = pathPrefix;
        Port = FreePort();
        BaseUrl = new Uri($"http://127.0.0.1:{Port}/");
        _listener.Prefixes.Add(BaseUrl.ToString());
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public int Port { get; }

    public Uri BaseUrl { get; }

    public bool PublishSha256 { get; set; } = true;

    public List<string> Requests { get; } = [];

    public List<string> RangeHeaders { get; } = [];

    /// <summary>When set, a request without <c>Authorization: Bearer</c> this token gets 401, as the hub answers for a gated repository.</summary>
    public string? RequiredToken { get; set; }

    /// <summary>Every <c>Authorization</c> header received, in order (empty string for none).</summary>
    public List<string> AuthorizationHeaders { get; } = [];

    /// <summary>Answers <paramref name="path"/> with a redirect to <paramref name="target"/>, as the hub sends LFS files to its storage servers.</summary>
    public void Redirect(string path, Uri target) => _redirects[path] = target;

    public void Add(string path, byte[] content) => _files[path] = content;

    public void AddDirectory(string directory)
    {
        foreach (var file in Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories))
        {
            Add(Path.GetRelativePath(directory, file).Replace('\\', '/'), File.ReadAllBytes(file));
        }
    }

    /// <summary>Serves other bytes than those whose checksum the server publishes, as a broken transfer would.</summary>
    public void Corrupt(string path)
    {
        var broken = (byte[])_files[path].Clone();
        broken[broken.Length / 2] ^= 0xFF;
        _servedInstead[path] = broken;
    }

    public void Dispose()
    {
        _listener.Close();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The accept loop ends with the listener's disposal.
        }
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            Answer(context);
        }
    }

    private void Answer(HttpListenerContext context)
    {
        var path = context.Request.Url!.AbsolutePath;
        var response = context.Response;
        lock (Requests)
        {
            Requests.Add(path);
        }

        var authorization = context.Request.Headers["Authorization"] ?? "";
        lock (AuthorizationHeaders)
        {
            AuthorizationHeaders.Add(authorization);
        }

        if (RequiredToken is not null && authorization != $"Bearer {RequiredToken}")
        {
            response.StatusCode = 401;
            response.Close();
            return;
        }

        var relative = path.StartsWith(_prefix, StringComparison.Ordinal) ? path[_prefix.Length..] : null;
        if (relative is not null && _redirects.TryGetValue(relative, out var target))
        {
            response.StatusCode = 302;
            response.AddHeader("Location", target.ToString());
            response.Close();
            return;
        }

        if (relative is null || !_files.TryGetValue(relative, out var content))
        {
            response.StatusCode = 404;
            response.Close();
            return;
        }

        if (PublishSha256)
        {
            response.AddHeader("X-Linked-Etag", $"\"{Convert.ToHexStringLower(SHA256.HashData(content))}\"");
        }

        var body = _servedInstead.GetValueOrDefault(relative, content);
        var range = context.Request.Headers["Range"];
        var start = 0;
        if (range is not null)
        {
            RangeHeaders.Add(range);
            start = int.Parse(range["bytes=".Length..range.IndexOf('-')]);
            response.StatusCode = 206;
            response.AddHeader("Content-Range", $"bytes {start}-{body.Length - 1}/{body.Length}");
        }

        response.ContentLength64 = body.Length - start;
        response.OutputStream.Write(body, start, body.Length - start);
        response.Close();
    }
}

using System.Net;
using OrleansSlm.ServiceDefaults.Observability;

namespace OrleansSlm.Frontend.Security;

/// <summary>
/// Browsers cannot put a bearer key on the dashboard's page and data requests, so with keys on the dashboard takes
/// the key once through a form and gives the browser a signed, time-limited session cookie (<see cref="DashboardSession"/>).
/// The cookie is sent only to dashboard paths (<c>Path</c>, <c>SameSite=Strict</c>) and accepted only there, so it
/// opens nothing else; it is <c>Secure</c> whenever the browser came over HTTPS, to this host or to the proxy in front
/// of it, and the key itself never appears in a URL or in the browser. Failed attempts are limited per client address
/// (<see cref="SignInThrottle"/>).
/// </summary>
public static class DashboardSignIn
{
    public const string LoginPath = DashboardEndpoints.Path + "/login";

    public const string CookieName = "orleansslm-dashboard";

    private const string DashboardPage = DashboardEndpoints.Path + "/";

    public static bool IsDashboardPath(PathString path) => path.StartsWithSegments(DashboardEndpoints.Path, StringComparison.OrdinalIgnoreCase);

    /// <summary>The dashboard's HTML page, where a caller without a key is sent to the form rather than given a 401.</summary>
    public static bool IsDashboardPage(PathString path) =>
        string.Equals(path.Value, DashboardEndpoints.Path, StringComparison.OrdinalIgnoreCase) ||
        string.Equals(path.Value, DashboardPage, StringComparison.OrdinalIgnoreCase);

    /// <summary>The session cookie a browser presents, or null without one.</summary>
    public static string? SessionCookie(HttpRequest request) =>
        request.Cookies.TryGetValue(CookieName, out var value) && !string.IsNullOrEmpty(value) ? value : null;

    public static IEndpointRouteBuilder MapDashboardSignIn(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(LoginPath, (ApiKeyValidator keys) => keys.KeysRequired ? Form(StatusCodes.Status200OK, message: null) : Results.Redirect(DashboardPage))
            .ExcludeFromDescription();
        endpoints.MapPost(LoginPath, SignInAsync)
            .ExcludeFromDescription()
            .DisableAntiforgery();
        return endpoints;
    }

    private static async Task<IResult> SignInAsync(HttpContext context, ApiKeyValidator keys, DashboardSession session, SignInThrottle throttle)
    {
        if (!keys.KeysRequired)
        {
            return Results.Redirect(DashboardPage);
        }

        if (!context.Request.HasFormContentType)
        {
            return Form(StatusCodes.Status400BadRequest, "Send the key from the form.");
        }

        IFormCollection form;
        try
        {
            form = await context.Request.ReadFormAsync(context.RequestAborted);
        }
        catch (InvalidDataException)
        {
            // Past the form reader's limits (1,024 fields, long keys or values): the form has one field.
            return Form(StatusCodes.Status400BadRequest, "The form is too large: send the key alone.");
        }

        var client = context.Connection.RemoteIpAddress;
        if (await throttle.TryBeginAsync(client) is { } retryAfter)
        {
            context.Response.Headers.RetryAfter = retryAfter.ToString();
            return Form(StatusCodes.Status429TooManyRequests, $"Too many failed sign-ins from your address: try again in {retryAfter} s.");
        }

        var digest = ApiKeyValidator.Digest(form["key"].ToString().Trim());
        if (!keys.IsValid(digest))
        {
            return Form(StatusCodes.Status401Unauthorized, "Incorrect API key.");
        }

        await throttle.SucceededAsync(client);
        context.Response.Cookies.Append(CookieName, session.Issue(digest), new CookieOptions
        {
            Path = DashboardEndpoints.Path,
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            // The scheme the browser used: with forwarded headers from a known proxy, the one it used to reach the proxy.
            Secure = context.Request.IsHttps,
            MaxAge = session.Lifetime,
            IsEssential = true,
        });
        return Results.Redirect(DashboardPage);
    }

    private static IResult Form(int statusCode, string? message)
    {
        var error = message is null ? "" : $"<p role=\"alert\">{WebUtility.HtmlEncode(message)}</p>";
        var html = $"""
            <!DOCTYPE html>
            <html lang="en">
            <head><meta charset="utf-8"><title>OrleansSlm dashboard: sign in</title></head>
            <body>
            <h1>OrleansSlm dashboard</h1>
            {error}
            <form method="post" action="{LoginPath}">
            <label>API key <input type="password" name="key" autocomplete="current-password" required autofocus></label>
            <button type="submit">Sign in</button>
            </form>
            </body>
            </html>
            """;
        return Results.Content(html, "text/html; charset=utf-8", statusCode: statusCode);
    }
}

using System.Net;
using OrleansSlm.ServiceDefaults.Observability;

namespace OrleansSlm.Frontend.Security;

/// <summary>
/// Browsers cannot put a bearer key on the dashboard's page and data requests, so with keys on the dashboard takes
/// the key once through a form and keeps its digest in a cookie. The cookie is sent only to dashboard paths
/// (<c>Path</c>, <c>SameSite=Strict</c>) and accepted only there, so it opens nothing else, and the key itself
/// never appears in a URL or in the browser.
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

    /// <summary>The digest a signed-in browser presents, or null without the cookie; a malformed cookie yields a digest no key has.</summary>
    public static byte[]? CookieDigest(HttpRequest request)
    {
        if (!request.Cookies.TryGetValue(CookieName, out var value) || string.IsNullOrEmpty(value))
        {
            return null;
        }

        try
        {
            return Convert.FromHexString(value);
        }
        catch (FormatException)
        {
            return [];
        }
    }

    public static IEndpointRouteBuilder MapDashboardSignIn(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(LoginPath, (ApiKeyValidator keys) => keys.KeysRequired ? Form(StatusCodes.Status200OK, message: null) : Results.Redirect(DashboardPage))
            .ExcludeFromDescription();
        endpoints.MapPost(LoginPath, SignInAsync)
            .ExcludeFromDescription()
            .DisableAntiforgery();
        return endpoints;
    }

    private static async Task<IResult> SignInAsync(HttpContext context, ApiKeyValidator keys)
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

        var digest = ApiKeyValidator.Digest(form["key"].ToString().Trim());
        if (!keys.IsValid(digest))
        {
            return Form(StatusCodes.Status401Unauthorized, "Incorrect API key.");
        }

        context.Response.Cookies.Append(CookieName, Convert.ToHexString(digest), new CookieOptions
        {
            Path = DashboardEndpoints.Path,
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Secure = context.Request.IsHttps,
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

using System.Text.Json;
using OrleansSlm.Frontend.OpenAi;
using OrleansSlm.GrainsInterfaces.Users;

namespace OrleansSlm.Frontend.Users;

public static class UserEndpoints
{
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 100;

    /// <summary>The largest <c>offset</c> a list accepts: the directory walks past the skipped ids one by one, and a million is more users than its one grain is meant to hold.</summary>
    public const int MaxOffset = 1_000_000;

    public static IEndpointRouteBuilder MapUserEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var users = endpoints.MapGroup("/users").WithTags("Users");
        users.MapPost("/", CreateAsync).WithName("CreateUser");
        users.MapGet("/", ListAsync).WithName("ListUsers");
        users.MapGet("/{id}", GetAsync).WithName("GetUser");
        users.MapMethods("/{id}", [HttpMethods.Patch], UpdateAsync).WithName("UpdateUser");
        users.MapDelete("/{id}", DeleteAsync).WithName("DeleteUser");
        return endpoints;
    }

    private static async Task<IResult> CreateAsync(HttpRequest request, IGrainFactory grains, UserCache cache, CancellationToken cancellationToken)
    {
        var (body, error) = await JsonBody.ReadAsync<CreateUserRequest>(request, cancellationToken);
        if (error is not null)
        {
            return error;
        }

        if (body!.Name is null)
        {
            return ApiErrors.InvalidRequest("name is required.", "name");
        }

        if (body.Email is null)
        {
            return ApiErrors.InvalidRequest("email is required.", "email");
        }

        if (ValidationError(body.Name, body.Email) is { } invalid)
        {
            return invalid;
        }

        var result = await Directory(grains).CreateAsync(body.Name.Trim(), body.Email.Trim());
        if (result.Status == UserWriteStatus.EmailTaken)
        {
            return EmailTaken(body.Email);
        }

        var created = result.Profile!;
        await cache.WrittenAsync(created.Id, created.Version);
        return TypedResults.Created($"/users/{created.Id}", UserResponse.From(created));
    }

    private static async Task<IResult> ListAsync(HttpContext context, IGrainFactory grains, UserCache cache)
    {
        var (limit, limitError) = PageParameter(context, "limit", DefaultPageSize, 1, MaxPageSize);
        var (offset, offsetError) = PageParameter(context, "offset", 0, 0, MaxOffset);
        if ((limitError ?? offsetError) is { } pageError)
        {
            return pageError;
        }

        // The generation is read before the grains: a page built from reads that a write overtook is stored under the
        // generation that write has already left behind.
        var key = await cache.ListGenerationAsync() is { } generation ? cache.ListKey(generation, offset, limit) : null;
        if (key is not null && await cache.GetListAsync(key) is { } cached)
        {
            return CachedJson(context, cached);
        }

        var page = await Directory(grains).ListAsync(offset, limit);
        var profiles = await Task.WhenAll(page.Ids.Select(id => grains.GetGrain<IUserGrain>(id).GetAsync()));
        var data = profiles.OfType<UserProfile>().Select(UserResponse.From).ToList();
        var nextOffset = offset + page.Ids.Count < page.Total ? offset + page.Ids.Count : (int?)null;
        var json = JsonSerializer.Serialize(new UserListResponse("list", data, page.Total, limit, offset, nextOffset));
        // Pages past the last user are empty and cheap to answer; not caching them keeps arbitrary offsets out of Redis.
        if (key is not null && offset < page.Total)
        {
            await cache.SetListAsync(key, json);
        }

        return FreshJson(context, json);
    }

    private static async Task<IResult> GetAsync(string id, HttpContext context, IGrainFactory grains, UserCache cache)
    {
        if (!TryParseId(id, out var userId))
        {
            return InvalidId(id);
        }

        if (await cache.GetUserAsync(userId) is { } cached)
        {
            context.Response.Headers["X-Cache"] = "HIT";
            return cached.Json is { } cachedJson ? Results.Text(cachedJson, "application/json") : UserNotFound(userId);
        }

        context.Response.Headers["X-Cache"] = "MISS";
        if (await grains.GetGrain<IUserGrain>(userId).GetAsync() is not { } profile)
        {
            await cache.StoreNotFoundAsync(userId);
            return UserNotFound(userId);
        }

        var json = JsonSerializer.Serialize(UserResponse.From(profile));
        await cache.StoreFoundAsync(userId, profile.Version, json);
        return Results.Text(json, "application/json");
    }

    private static async Task<IResult> UpdateAsync(string id, HttpRequest request, IGrainFactory grains, UserCache cache, CancellationToken cancellationToken)
    {
        if (!TryParseId(id, out var userId))
        {
            return InvalidId(id);
        }

        var (body, error) = await JsonBody.ReadAsync<UpdateUserRequest>(request, cancellationToken);
        if (error is not null)
        {
            return error;
        }

        if (body!.Name is null && body.Email is null)
        {
            return ApiErrors.InvalidRequest("Send at least one of name and email.");
        }

        if (ValidationError(body.Name, body.Email) is { } invalid)
        {
            return invalid;
        }

        var result = await Directory(grains).UpdateAsync(userId, body.Name?.Trim(), body.Email?.Trim());
        return result.Status switch
        {
            UserWriteStatus.NotFound => UserNotFound(userId),
            UserWriteStatus.EmailTaken => EmailTaken(body.Email!),
            _ => await WrittenAsync(cache.WrittenAsync(userId, result.Profile!.Version), TypedResults.Ok(UserResponse.From(result.Profile))),
        };
    }

    private static async Task<IResult> DeleteAsync(string id, IGrainFactory grains, UserCache cache)
    {
        if (!TryParseId(id, out var userId))
        {
            return InvalidId(id);
        }

        var result = await Directory(grains).DeleteAsync(userId);
        return result.Status == UserWriteStatus.NotFound
            ? UserNotFound(userId)
            : await WrittenAsync(cache.DeletedAsync(userId, result.Profile!.Version), TypedResults.NoContent());
    }

    /// <summary>The write's answer once the cache has been told of it: a read that starts after the answer cannot find an older copy.</summary>
    private static async Task<IResult> WrittenAsync(Task cacheUpdate, IResult result)
    {
        await cacheUpdate;
        return result;
    }

    private static IResult? ValidationError(string? name, string? email)
    {
        if (name is not null && UserValidation.NameError(name) is { } nameError)
        {
            return ApiErrors.InvalidRequest(nameError, "name");
        }

        if (email is not null && UserValidation.EmailError(email) is { } emailError)
        {
            return ApiErrors.InvalidRequest(emailError, "email", "invalid_email");
        }

        return null;
    }

    private static (int Value, IResult? Error) PageParameter(HttpContext context, string name, int fallback, int min, int max)
    {
        var raw = context.Request.Query[name].ToString();
        if (raw.Length == 0)
        {
            return (fallback, null);
        }

        return int.TryParse(raw, out var value) && value >= min && value <= max
            ? (value, null)
            : (0, ApiErrors.InvalidRequest($"{name} must be an integer from {min} to {max}.", name));
    }

    private static bool TryParseId(string raw, out long id) => long.TryParse(raw, out id) && id > 0;

    private static IUserDirectoryGrain Directory(IGrainFactory grains) => grains.GetGrain<IUserDirectoryGrain>(0);

    private static IResult InvalidId(string raw) => ApiErrors.InvalidRequest($"'{raw}' is not a user id: ids are positive integers.", "id");

    private static IResult UserNotFound(long id) => ApiErrors.NotFound($"No user has id {id}.", "id", "user_not_found");

    private static IResult EmailTaken(string email) => ApiErrors.Conflict($"A user with email '{email.Trim()}' already exists.", "email", "email_taken");

    private static IResult CachedJson(HttpContext context, string json)
    {
        context.Response.Headers["X-Cache"] = "HIT";
        return Results.Text(json, "application/json");
    }

    private static IResult FreshJson(HttpContext context, string json)
    {
        context.Response.Headers["X-Cache"] = "MISS";
        return Results.Text(json, "application/json");
    }
}

using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using CsCheck;
using OrleansSlm.Tests.Support;

namespace OrleansSlm.Tests.Fuzz;

/// <summary>
/// Thousands of generated requests against the running frontend (embedded silo, real ONNX Runtime on synthetic-tiny):
/// every operation of its OpenAPI document with mutated bodies, paths and queries, plus the dashboard's sign-in form.
/// Whatever is sent, the answer is never a 5xx, a 4xx is always OpenAI's error shape, the process keeps answering,
/// and the users stored are exactly those whose writes were acknowledged.
/// </summary>
public sealed class HttpFuzzTests
{
    private const int Requests = 5_000;
    private const string Key = "fuzz-key-0123456789";

    [Fact]
    public async Task Generated_and_mutated_requests_never_get_a_5xx_and_every_error_has_openais_shape()
    {
        await using var frontend = FrontendFactory.Embedded(new Dictionary<string, string?> { ["Auth:ApiKeys:0"] = Key });
        var client = frontend.CreateClient();
        var operations = await OperationsAsync(client);
        Assert.Contains(("POST", "/v1/chat/completions"), operations);
        Assert.Contains(("PATCH", "/users/{id}"), operations);
        var ledger = new UserLedger();
        var sent = 0;
        var statuses = new ConcurrentDictionary<int, int>();

        await RequestFor(operations).SampleAsync(async request =>
        {
            Interlocked.Increment(ref sent);
            using var response = await client.SendAsync(ToMessage(request));
            var status = (int)response.StatusCode;
            statuses.AddOrUpdate(status, 1, (_, count) => count + 1);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(status < 500, $"{status} for {request}: {body}");
            if (status >= 400 && !request.Path.StartsWith("/dashboard", StringComparison.Ordinal))
            {
                AssertOpenAiError(body, request);
            }

            if (status == 200 && body.StartsWith("data: ", StringComparison.Ordinal))
            {
                Assert.DoesNotContain("\"server_error\"", body, StringComparison.Ordinal);
            }

            ledger.Record(request, status, body);
        }, iter: Requests, threads: 1);

        Assert.Equal(Requests, sent);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
        await ledger.AssertStoredAsync(WithKey(new HttpRequestMessage(HttpMethod.Get, "/users?limit=100")), client);
        // The run exercised both sides: answers and refusals.
        Assert.True(statuses.Keys.Any(status => status < 300) && statuses.Keys.Any(status => status is >= 400 and < 500), string.Join(", ", statuses));
    }

    private static Gen<FuzzedRequest> RequestFor(IReadOnlyList<(string Method, string Path)> operations) =>
        Gen.Frequency(
            (12, Gen.OneOf([.. operations]).SelectMany(operation => Gen.Select(
                Path(operation.Path), BodyFor(operation.Path), Gen.Int[1, 20],
                (path, body, roll) => new FuzzedRequest(operation.Method, path, roll == 1 ? "text/plain" : "application/json",
                    operation.Method is "POST" or "PATCH" or "PUT" ? body : null, WithKey: roll != 2)))),
            (1, FuzzGenerators.SignInForm.Select(form => new FuzzedRequest("POST", "/dashboard/login", "application/x-www-form-urlencoded", form, WithKey: false))));

    private static Gen<string> BodyFor(string path) => path switch
    {
        "/v1/chat/completions" => Gen.Frequency((9, FuzzGenerators.ChatBody), (1, FuzzGenerators.NotAnObject)),
        "/question" => Gen.Frequency((9, FuzzGenerators.QuestionBody), (1, FuzzGenerators.NotAnObject)),
        _ when path.StartsWith("/users", StringComparison.Ordinal) => Gen.Frequency((9, FuzzGenerators.UserBody), (1, FuzzGenerators.NotAnObject)),
        _ => FuzzGenerators.NotAnObject,
    };

    /// <summary>The operation's path with each <c>{parameter}</c> filled, and a query for list operations.</summary>
    private static Gen<string> Path(string template) =>
        Gen.Select(FuzzGenerators.PathSegment, FuzzGenerators.QueryValue, FuzzGenerators.QueryValue, (segment, limit, offset) =>
        {
            var path = System.Text.RegularExpressions.Regex.Replace(template, @"\{\*{0,2}[^}]+\}", segment);
            return path == "/users" ? $"{path}?limit={limit}&offset={offset}" : path;
        });

    /// <summary>Every operation the frontend documents, from its OpenAPI document.</summary>
    private static async Task<IReadOnlyList<(string Method, string Path)>> OperationsAsync(HttpClient client)
    {
        using var response = await client.SendAsync(WithKey(new HttpRequestMessage(HttpMethod.Get, "/openapi/v1.json")));
        using var document = JsonDocument.Parse(await response.EnsureSuccessStatusCode().Content.ReadAsStringAsync());
        return [.. document.RootElement.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject()
                .Where(operation => operation.Name is "get" or "post" or "patch" or "put" or "delete")
                .Select(operation => (operation.Name.ToUpperInvariant(), path.Name)))];
    }

    private static HttpRequestMessage ToMessage(FuzzedRequest request)
    {
        var message = new HttpRequestMessage(new HttpMethod(request.Method), request.Path);
        if (request.Body is not null)
        {
            message.Content = new StringContent(request.Body, Encoding.UTF8);
            message.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(request.ContentType!);
        }

        return request.WithKey ? WithKey(message) : message;
    }

    private static HttpRequestMessage WithKey(HttpRequestMessage message)
    {
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Key);
        return message;
    }

    private static void AssertOpenAiError(string body, FuzzedRequest request)
    {
        using var document = JsonDocument.Parse(body);
        var error = document.RootElement.GetProperty("error");
        Assert.True(error.GetProperty("message").GetString() is { Length: > 0 }, $"no message for {request}: {body}");
        Assert.True(error.GetProperty("type").GetString() is { Length: > 0 }, $"no type for {request}: {body}");
        Assert.True(error.TryGetProperty("param", out _) && error.TryGetProperty("code", out _), $"not OpenAI's shape for {request}: {body}");
    }

    /// <summary>What the acknowledged user writes say is stored: a refused write must leave no trace.</summary>
    private sealed class UserLedger
    {
        private readonly Dictionary<long, (string Name, string Email)> _users = [];

        public void Record(FuzzedRequest request, int status, string body)
        {
            if (!request.Path.StartsWith("/users", StringComparison.Ordinal))
            {
                return;
            }

            if (status is 200 or 201 && request.Method is "POST" or "PATCH")
            {
                using var document = JsonDocument.Parse(body);
                var user = document.RootElement;
                _users[user.GetProperty("id").GetInt64()] = (user.GetProperty("name").GetString()!, user.GetProperty("email").GetString()!);
            }
            else if (status == 204 && request.Method == "DELETE")
            {
                // The id as the route read it: "1%20" is user 1, as long.TryParse allows surrounding spaces.
                _users.Remove(long.Parse(Uri.UnescapeDataString(request.Path["/users/".Length..])));
            }
        }

        public async Task AssertStoredAsync(HttpRequestMessage list, HttpClient client)
        {
            using var response = await client.SendAsync(list);
            using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            var stored = document.RootElement.GetProperty("data").EnumerateArray()
                .ToDictionary(user => user.GetProperty("id").GetInt64(), user => (user.GetProperty("name").GetString()!, user.GetProperty("email").GetString()!));
            Assert.Equal(_users.Count, document.RootElement.GetProperty("total").GetInt32());
            Assert.Equal(_users.OrderBy(user => user.Key), stored.OrderBy(user => user.Key));
        }
    }
}

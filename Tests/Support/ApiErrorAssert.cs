using System.Net;
using System.Text.Json;

namespace OrleansSlm.Tests.Support;

public static class ApiErrorAssert
{
    /// <summary>Asserts the status code and that the body is an OpenAI-style error; returns the error object.</summary>
    public static async Task<JsonElement> IsErrorAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        var error = JsonDocument.Parse(body).RootElement.GetProperty("error");
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("type").GetString()));
        Assert.True(error.TryGetProperty("param", out _) && error.TryGetProperty("code", out _), body);
        return error.Clone();
    }
}

using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OrleansSlm.Engine.Configuration;
using OrleansSlm.Frontend.Chat;
using OrleansSlm.Frontend.Security;
using OrleansSlm.Frontend.Users;
using OrleansSlm.ServiceDefaults.Health;

namespace OrleansSlm.Tests.Http;

/// <summary>
/// Bad settings stop a service at start with a message that names the key: the frontend's sections through the
/// validators its start-up runs, the <c>Model</c> section through its validator (a silo process refusing one is in
/// <c>SiloStartupTests</c>).
/// </summary>
public sealed class StartupValidationTests
{
    [Theory]
    [InlineData("Chat:StallTimeoutSeconds", "4", "Chat:StallTimeoutSeconds must be at least 6")]
    [InlineData("Chat:MaxMessages", "0", "Chat:MaxMessages must be at least 1.")]
    [InlineData("Chat:StreamKeepAliveSeconds", "30", "Chat:StreamKeepAliveSeconds must be between 2 (the silos' keep-alive) and 15.")]
    [InlineData("Cache:UsersTtlSeconds", "0", "Cache:UsersTtlSeconds must be at least 1.")]
    [InlineData("Cache:UsersNotFoundTtlSeconds", "0", "Cache:UsersNotFoundTtlSeconds must be at least 1.")]
    [InlineData("RateLimit:RequestsPerMinute", "-5", "RateLimit:RequestsPerMinute must be 0 (off) or positive.")]
    [InlineData("Http:MaxRequestBodyBytes", "10", "Http:MaxRequestBodyBytes must be at least 1024.")]
    [InlineData("Probes:ReadyRefreshSeconds", "0", "Probes:ReadyRefreshSeconds must be from 1 to 60.")]
    [InlineData("RateLimit:TokensPerMinute", "-1", "RateLimit:TokensPerMinute must be 0 (off) or positive.")]
    [InlineData("RateLimit:MaxConcurrentRequests", "-1", "RateLimit:MaxConcurrentRequests must be 0 (off) or positive.")]
    [InlineData("Chat:DefaultMaxTokens", "0", "Chat:DefaultMaxTokens must be at least 1.")]
    [InlineData("Http:ForwardedHeaders:KnownProxies:0", "proxy.internal", "Http:ForwardedHeaders:KnownProxies must hold IP addresses")]
    [InlineData("Http:ForwardedHeaders:KnownNetworks:0", "10.0.0.0/33", "Http:ForwardedHeaders:KnownNetworks must hold networks in CIDR form")]
    [InlineData("Dashboard:SessionSecret", "too-short", "Dashboard:SessionSecret must be at least 32 characters (or unset).")]
    [InlineData("Dashboard:SessionHours", "0", "Dashboard:SessionHours must be between 1 and 168 (a week).")]
    [InlineData("Dashboard:SignInAttemptsPerMinute", "0", "Dashboard:SignInAttemptsPerMinute must be at least 1.")]
    public void A_bad_frontend_value_fails_start_up_naming_its_key(string key, string value, string message)
    {
        var error = Assert.Throws<OptionsValidationException>(() => ValidateFrontend(new Dictionary<string, string?> { [key] = value }));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_default_frontend_settings_pass()
    {
        ValidateFrontend([]);
    }

    [Theory]
    [InlineData("MaxBatch", "0", "Model:MaxBatch must be at least 1; got 0.")]
    [InlineData("PrefillChunk", "-1", "Model:PrefillChunk must be at least 1; got -1.")]
    [InlineData("MaxQueue", "-1", "Model:MaxQueue must be at least 0; got -1.")]
    [InlineData("MirrorUrl", "not a url", "Model:MirrorUrl 'not a url' is not an absolute URL.")]
    public void A_bad_model_value_is_named_by_its_key(string key, string value, string message)
    {
        var options = new ModelOptions();
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [$"Model:{key}"] = value }).Build().GetSection("Model").Bind(options);

        var result = new ModelOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains(message, result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Slot_attention_on_cuda_is_refused_and_the_defaults_pass()
    {
        var validator = new ModelOptionsValidator();

        Assert.Contains("Model:Attention 'Slot' is a CPU kernel",
            validator.Validate(null, new ModelOptions { Attention = AttentionKernel.Slot, Device = ModelDevice.Cuda }).FailureMessage, StringComparison.Ordinal);
        Assert.True(validator.Validate(null, new ModelOptions()).Succeeded);
    }

    /// <summary>Registers the frontend's option sections as its start-up does and runs the checks the host runs when it starts.</summary>
    private static void ValidateFrontend(Dictionary<string, string?> settings)
    {
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddRequestGuards();
        builder.AddChat();
        builder.AddUsers();
        builder.Services.AddProbes();
        using var app = builder.Build();
        app.Services.GetRequiredService<IStartupValidator>().Validate();
    }
}

using OrleansSlm.GrainsInterfaces.Inference;
using OrleansSlm.ServiceDefaults.Health;

namespace OrleansSlm.Frontend.Chat;

public static class ChatServiceExtensions
{
    public static WebApplicationBuilder AddChat(this WebApplicationBuilder builder)
    {
        var minimumStall = InferenceStreaming.MinimumStallTimeout.TotalSeconds;
        builder.Services.AddOptions<ChatLimitsOptions>().BindConfiguration(ChatLimitsOptions.SectionName)
            .Validate(chat => chat.MaxMessages >= 1, "Chat:MaxMessages must be at least 1.")
            .Validate(chat => chat.MaxMessageChars >= 1, "Chat:MaxMessageChars must be at least 1.")
            .Validate(chat => chat.QuestionMaxTokens >= 1, "Chat:QuestionMaxTokens must be at least 1.")
            .Validate(chat => chat.DefaultMaxTokens >= 1, "Chat:DefaultMaxTokens must be at least 1.")
            .Validate(chat => chat.StreamKeepAliveSeconds >= InferenceStreaming.KeepAlive.TotalSeconds && chat.StreamKeepAliveSeconds <= 15,
                $"Chat:StreamKeepAliveSeconds must be between {InferenceStreaming.KeepAlive.TotalSeconds:F0} (the silos' keep-alive) and 15.")
            .Validate(chat => chat.StallTimeoutSeconds >= minimumStall,
                $"Chat:StallTimeoutSeconds must be at least {minimumStall:F0}: silos send a keep-alive every {InferenceStreaming.KeepAlive.TotalSeconds:F0} s, " +
                $"and a stream is taken for dead only after {InferenceStreaming.KeepAlivesBeforeStall} of them are missed.")
            .ValidateOnStart();
        builder.Services.AddSingleton<ModelCatalog>();
        builder.Services.AddSingleton<SiloLiveness>();
        builder.Services.AddSingleton<InferenceClient>();
        builder.Services.AddHealthChecks().AddCheck<InferenceHealthCheck>("inference", tags: [HealthTags.Ready]);
        return builder;
    }
}

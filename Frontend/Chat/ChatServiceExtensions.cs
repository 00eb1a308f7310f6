using OrleansSlm.Infrastructure.Health;

namespace OrleansSlm.Frontend.Chat;

public static class ChatServiceExtensions
{
    public static WebApplicationBuilder AddChat(this WebApplicationBuilder builder)
    {
        builder.Services.Configure<ChatLimitsOptions>(builder.Configuration.GetSection(ChatLimitsOptions.SectionName));
        builder.Services.AddSingleton<ModelCatalog>();
        builder.Services.AddSingleton<InferenceClient>();
        builder.Services.AddHealthChecks().AddCheck<InferenceHealthCheck>("inference", tags: [HealthTags.Ready]);
        return builder;
    }
}

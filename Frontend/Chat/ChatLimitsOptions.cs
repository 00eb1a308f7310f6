namespace OrleansSlm.Frontend.Chat;

/// <summary>The <c>Chat</c> configuration section: bounds on what one request may carry.</summary>
public sealed class ChatLimitsOptions
{
    public const string SectionName = "Chat";

    public int MaxMessages { get; set; } = 256;

    /// <summary>Characters in all message contents together.</summary>
    public int MaxMessageChars { get; set; } = 64 * 1024;

    /// <summary>
    /// How long a stream may stay silent before the frontend acts: a started stream ends with an error, and a request
    /// nothing has reached the caller of yet is sent elsewhere only if membership declares its silo dead; at least
    /// <see cref="GrainsInterfaces.Inference.InferenceStreaming.MinimumStallTimeout"/>, since silos send a keep-alive
    /// every <see cref="GrainsInterfaces.Inference.InferenceStreaming.KeepAlive"/>.
    /// </summary>
    public int StallTimeoutSeconds { get; set; } = 10;

    /// <summary>
    /// How long a chat stream may send nothing before the frontend writes an SSE comment (<c>: keep-alive</c>), so a
    /// proxy that cuts idle connections (60 s behind an AWS load balancer) keeps a queued stream open. The silo's
    /// keep-alives pace it: a comment goes out with the last of them that keeps the gap within this.
    /// </summary>
    public int StreamKeepAliveSeconds { get; set; } = 10;

    /// <summary>
    /// Tokens a chat completion may generate when the request sets no <c>max_tokens</c> (cut to the room its prompt
    /// leaves in the context); the rate limit's token budget counts this much for such a request.
    /// </summary>
    public int DefaultMaxTokens { get; set; } = 1024;

    /// <summary>Tokens <c>POST /question</c> lets the model write.</summary>
    public int QuestionMaxTokens { get; set; } = 256;
}

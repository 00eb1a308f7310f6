using Microsoft.Extensions.Options;
using OrleansSlm.Frontend.OpenAi;
using OrleansSlm.Frontend.Security.RateLimiting;
using OrleansSlm.GrainsInterfaces.Inference;

namespace OrleansSlm.Frontend.Chat;

/// <summary><c>/v1/chat/completions</c> (plain and Server-Sent Events), <c>/v1/models</c> and <c>POST /question</c>.</summary>
public static class ChatEndpoints
{
    public static IEndpointRouteBuilder MapChatEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var v1 = endpoints.MapGroup("/v1").WithTags("OpenAI").AddEndpointFilter<InferenceErrorFilter>();
        v1.MapPost("/chat/completions", CompleteAsync).WithName("CreateChatCompletion");
        v1.MapGet("/models", ListModelsAsync).WithName("ListModels");
        v1.MapGet("/models/{**id}", GetModelAsync).WithName("RetrieveModel");
        endpoints.MapPost("/question", AskAsync).WithTags("Question").WithName("AskQuestion").AddEndpointFilter<InferenceErrorFilter>();
        return endpoints;
    }

    private static async Task<IResult> CompleteAsync(HttpContext context, InferenceClient inference, InferenceAdmission admission, IOptions<ChatLimitsOptions> limits)
    {
        var cancellationToken = context.RequestAborted;
        var (body, error) = await JsonBody.ReadAsync<ChatCompletionBody>(context.Request, cancellationToken);
        if (error is not null)
        {
            return error;
        }

        var (chat, invalid) = ChatRequestValidator.Validate(body!, limits.Value);
        if (invalid is not null)
        {
            return invalid;
        }

        var (lease, refused) = await admission.AdmitAsync(context, TokenCost(chat!.Request));
        if (refused is not null)
        {
            return refused;
        }

        await using var _ = lease;
        // The grain checks the model, the context and the fields the engine sees, once, before the first chunk.
        if (!chat.Stream)
        {
            var completion = await inference.CompleteAsync(chat.Request, cancellationToken);
            return TypedResults.Ok(new ChatCompletionResponse(
                NewId(), Now(), chat.Request.Model,
                [new ChatChoice(0, new AssistantMessage(completion.Text), completion.FinishReason)],
                new ChatUsage(completion.PromptTokens, completion.CompletionTokens)));
        }

        var stream = await inference.StartStreamAsync(chat.Request, cancellationToken);
        // A comment goes out at a silo keep-alive when waiting for the next one would let the idle time pass the limit.
        var keepAliveAfter = TimeSpan.FromSeconds(limits.Value.StreamKeepAliveSeconds) - InferenceStreaming.KeepAlive;
        await StreamAsync(context, inference, chat, stream, keepAliveAfter);
        return Results.Empty;
    }

    private static async Task StreamAsync(
        HttpContext context, InferenceClient inference, ValidatedChat chat, IAsyncEnumerator<CompletionChunk> stream, TimeSpan keepAlive)
    {
        var logger = context.RequestServices.GetRequiredService<ILogger<InferenceClient>>();
        var cancellationToken = context.RequestAborted;
        var events = new ServerSentEvents(context.Response);
        var id = NewId();
        var created = Now();
        var model = chat.Request.Model;
        ChatCompletionChunk Chunk(ChunkDelta delta, string? finishReason) => new(id, created, model, [new ChunkChoice(delta, finishReason)]);

        events.Start();
        await events.WriteAsync(Chunk(new ChunkDelta("assistant", ""), null), cancellationToken);
        var last = stream.Current;
        try
        {
            while (true)
            {
                last = stream.Current;
                if (last.Text.Length > 0)
                {
                    await events.WriteAsync(Chunk(new ChunkDelta(Content: last.Text), null), cancellationToken);
                }
                else
                {
                    // The silo's keep-alives (a request still queued, or in a long prefill) reach the client as SSE
                    // comments, often enough for a proxy's idle timeout.
                    await events.KeepAliveAsync(keepAlive, cancellationToken);
                }

                if (last.FinishReason is not null || !await inference.NextAsync(stream, cancellationToken))
                {
                    break;
                }
            }
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            // Headers are gone; the error travels as an event, which OpenAI's SDKs raise as an API error.
            inference.Abandon(stream);
            var detail = InferenceErrors.TryTranslate(exception, out _, out var known, out _)
                ? known
                : new OpenAiErrorDetail("The stream failed on the server.", "server_error", null, null);
            if (detail.Type == "server_error")
            {
                logger.LogWarning(exception, "A chat stream failed after it started");
            }

            await events.WriteAsync(new OpenAiError(detail), cancellationToken);
            await events.WriteDoneAsync(cancellationToken);
            return;
        }
        catch
        {
            inference.Abandon(stream);
            throw;
        }

        await stream.DisposeAsync();
        if (last.FinishReason is null)
        {
            // The grain always ends a stream with its finish reason; a stream that stops short lost its silo.
            await events.WriteAsync(new OpenAiError(new OpenAiErrorDetail("The stream ended early on the server.", "server_error", null, "inference_unavailable")), cancellationToken);
            await events.WriteDoneAsync(cancellationToken);
            return;
        }

        await events.WriteAsync(Chunk(new ChunkDelta(), last.FinishReason), cancellationToken);
        if (chat.IncludeUsage)
        {
            await events.WriteAsync(new ChatCompletionChunk(id, created, model, [], new ChatUsage(last.PromptTokens, last.CompletionTokens)), cancellationToken);
        }

        await events.WriteDoneAsync(cancellationToken);
    }

    private static async Task<IResult> ListModelsAsync(ModelCatalog catalog, CancellationToken cancellationToken)
    {
        var models = await catalog.GetModelsAsync(cancellationToken);
        return TypedResults.Ok(new ModelList([.. models.Select(ModelObject.From)]));
    }

    private static async Task<IResult> GetModelAsync(string id, ModelCatalog catalog, CancellationToken cancellationToken) =>
        await catalog.FindAsync(id, cancellationToken) is { } card
            ? TypedResults.Ok(ModelObject.From(card))
            : throw InferenceRejectedException.ModelNotFound(id);

    private static async Task<IResult> AskAsync(
        HttpContext context, ModelCatalog catalog, InferenceClient inference, InferenceAdmission admission, IOptions<ChatLimitsOptions> limits)
    {
        var cancellationToken = context.RequestAborted;
        var (body, error) = await JsonBody.ReadAsync<QuestionBody>(context.Request, cancellationToken);
        if (error is not null)
        {
            return error;
        }

        if (string.IsNullOrWhiteSpace(body!.Question))
        {
            return ApiErrors.InvalidRequest("question is required and must not be empty.", "question");
        }

        if (body.Question.Length > limits.Value.MaxMessageChars)
        {
            return ApiErrors.InvalidRequest($"question holds more than {limits.Value.MaxMessageChars} characters (Chat:MaxMessageChars).", "question");
        }

        var model = (await catalog.GetModelsAsync(cancellationToken))[0];
        var request = new ChatRequest(
            model.Id, [new ChatTurn("user", body.Question)], Math.Min(limits.Value.QuestionMaxTokens, model.ContextLength / 2),
            new Sampling(Temperature: 0), [], IgnoreEos: false, limits.Value.QuestionMaxTokens);
        var (lease, refused) = await admission.AdmitAsync(context, TokenCost(request));
        if (refused is not null)
        {
            return refused;
        }

        await using var _ = lease;
        var completion = await inference.CompleteAsync(request, cancellationToken);
        return TypedResults.Ok(new QuestionAnswer(body.Question, completion.Text, model.Id));
    }

    /// <summary>What a request counts against its key's tokens per minute: the prompt's estimate and the most it may generate.</summary>
    private static long TokenCost(ChatRequest request) =>
        InferenceAdmission.TokenCost(request.Messages.Sum(turn => (long)turn.Content.Length), request.MaxTokens ?? request.DefaultMaxTokens);

    private static string NewId() => $"chatcmpl-{Guid.NewGuid():N}";

    private static long Now() => DateTimeOffset.UtcNow.ToUnixTimeSeconds();
}

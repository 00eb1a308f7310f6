namespace OrleansSlm.Bench;

/// <summary>
/// The load both modes generate: <see cref="Concurrency"/> clients, each sending its next request as soon as the
/// previous one ends, until <see cref="Requests"/> have been sent or <see cref="Duration"/> has passed (requests
/// still running then are finished and counted). Every request asks for exactly <see cref="MaxTokens"/> tokens
/// (end-of-sequence ignored) after a prompt of <see cref="PromptTokens"/> tokens as the model counts them, sampled
/// greedily unless <see cref="Temperature"/> is above 0, then with <see cref="TopP"/> and <see cref="TopK"/> when set.
/// </summary>
internal sealed record LoadProfile(
    int Concurrency, int? Requests, TimeSpan? Duration, int PromptTokens, int MaxTokens, TimeSpan RequestTimeout,
    float Temperature = 0, float? TopP = null, int? TopK = null)
{
    private const int DefaultRequestsPerClient = 4;

    public static LoadProfile Parse(OptionSet options)
    {
        var concurrency = options.Int("concurrency", 1);
        var requests = options.OptionalInt("requests");
        var duration = options.Duration("duration");
        var profile = new LoadProfile(
            concurrency,
            requests ?? (duration is null ? concurrency * DefaultRequestsPerClient : null),
            duration,
            options.Int("prompt-tokens", 64),
            options.Int("max-tokens", 128),
            options.Duration("request-timeout") ?? TimeSpan.FromMinutes(5),
            options.OptionalFloat("temperature") ?? 0,
            options.OptionalFloat("top-p"),
            options.OptionalInt("top-k"));
        profile.Validate(requests is not null && duration is not null);
        return profile;
    }

    /// <summary>How the load reads in a summary: "16 streams, 64 requests, prompt 64, max_tokens 128".</summary>
    public string Describe() =>
        $"{Concurrency} stream{(Concurrency == 1 ? "" : "s")}, " +
        (Requests is { } count ? $"{count} requests" : $"{Duration!.Value.TotalSeconds:0.#} s") +
        $", prompt {PromptTokens} tokens, max_tokens {MaxTokens}, {DescribeSampling()}";

    /// <summary>"greedy", or the sampling settings: "temperature 0.7, top_p 0.9".</summary>
    public string DescribeSampling() =>
        Temperature == 0 ? "greedy"
        : string.Join(", ", new[]
        {
            FormattableString.Invariant($"temperature {Temperature}"),
            TopP is { } p ? FormattableString.Invariant($"top_p {p}") : null,
            TopK is { } k ? $"top_k {k}" : null,
        }.OfType<string>());

    private void Validate(bool both)
    {
        if (both)
        {
            throw new ArgumentException("Give --requests or --duration, not both.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(Concurrency, 1, "--concurrency");
        ArgumentOutOfRangeException.ThrowIfLessThan(PromptTokens, 1, "--prompt-tokens");
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxTokens, 1, "--max-tokens");
        if (Temperature is < 0 or > 2)
        {
            throw new ArgumentException($"--temperature must be between 0 (greedy) and 2; got {Temperature}.");
        }

        if (TopP is <= 0 or > 1)
        {
            throw new ArgumentException($"--top-p must be in (0, 1]; got {TopP}.");
        }

        if (TopK is < 1)
        {
            throw new ArgumentException($"--top-k must be at least 1; got {TopK}.");
        }

        if (Temperature == 0 && (TopP is not null || TopK is not null))
        {
            throw new ArgumentException("--top-p and --top-k apply to sampling: give --temperature above 0 with them.");
        }
        if (Requests is { } requests)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(requests, 1, "--requests");
        }

        if (Duration is { } duration)
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(duration, TimeSpan.Zero, "--duration");
        }

        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(RequestTimeout, TimeSpan.Zero, "--request-timeout");
    }
}

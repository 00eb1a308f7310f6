namespace OrleansSlm.GrainsInterfaces.Inference;

/// <summary>
/// An inference silo refused a request (<see cref="Reason"/> says why), or stopped generating it: with
/// <see cref="InferenceRejection.Unavailable"/> a caller that has passed nothing on yet may send it elsewhere; with
/// <see cref="InferenceRejection.Failed"/> the request itself could not be generated, and another silo would fail it too.
/// </summary>
[GenerateSerializer]
public sealed class InferenceRejectedException : Exception
{
    public InferenceRejectedException()
    {
    }

    public InferenceRejectedException(string message)
        : base(message)
    {
    }

    public InferenceRejectedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public InferenceRejectedException(InferenceRejection reason, string message, string? param = null, int retryAfterSeconds = 0)
        : base(message)
    {
        Reason = reason;
        Param = param;
        RetryAfterSeconds = retryAfterSeconds;
    }

    [Id(0)]
    public InferenceRejection Reason { get; private set; }

    /// <summary>The one answer to a request for a model that is not served, wherever it is found out.</summary>
    public static InferenceRejectedException ModelNotFound(string model) =>
        new(InferenceRejection.ModelNotFound, $"The model '{model}' does not exist. GET /v1/models lists the models served.", "model");

    /// <summary>The request field at fault, when one is.</summary>
    [Id(1)]
    public string? Param { get; private set; }

    [Id(2)]
    public int RetryAfterSeconds { get; private set; }
}

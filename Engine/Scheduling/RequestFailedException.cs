namespace OrleansSlm.Engine.Scheduling;

/// <summary>
/// One request failed on its own (choosing, detokenising or emitting its next token threw) while the model and the
/// other requests of the step carried on. Sending it to another silo would fail it the same way.
/// </summary>
public sealed class RequestFailedException : Exception
{
    public RequestFailedException()
    {
    }

    public RequestFailedException(string message)
        : base(message)
    {
    }

    public RequestFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

namespace OrleansSlm.GrainsInterfaces.Inference;

/// <summary>Why an inference silo refused a request before generating anything.</summary>
public enum InferenceRejection
{
    /// <summary>The waiting queue is full; retry later or elsewhere.</summary>
    Overloaded,

    /// <summary>The prompt plus the requested tokens do not fit in the model's context.</summary>
    ContextLengthExceeded,

    /// <summary>The silo does not serve the requested model.</summary>
    ModelNotFound,

    /// <summary>A field the engine cannot honour.</summary>
    InvalidRequest,

    /// <summary>The silo has no model (it serves no inference, or it is shutting down), or its model stopped mid-request.</summary>
    Unavailable,

    /// <summary>Generating this request failed on its own while the silo served the others: another silo would fail it too.</summary>
    Failed,
}

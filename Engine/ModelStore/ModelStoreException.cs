namespace OrleansSlm.Engine.ModelStore;

/// <summary>A model could not be resolved; the message says which model, where it was looked for and what to do.</summary>
public sealed class ModelStoreException(string message, Exception? innerException = null) : Exception(message, innerException);

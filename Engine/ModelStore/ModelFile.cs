namespace OrleansSlm.Engine.ModelStore;

/// <summary>One file of a model repository, by its path inside the repository.</summary>
internal sealed record ModelFile(string Path, bool Optional);

namespace OrleansSlm.Bench;

/// <summary>The <c>compare</c> mode's JSON: both runs and the stack's cost relative to the engine.</summary>
internal sealed record CompareResult(LoadResult Http, LoadResult Engine, Comparison Comparison);

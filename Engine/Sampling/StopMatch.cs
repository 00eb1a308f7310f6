namespace OrleansSlm.Engine.Sampling;

/// <summary>The text that is safe to send on, and whether a stop string ended the output (its text and what follows it are never emitted).</summary>
public readonly record struct StopMatch(string Emit, bool Stopped);

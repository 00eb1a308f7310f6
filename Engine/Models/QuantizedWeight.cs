namespace OrleansSlm.Engine.Models;

/// <summary>The initializers of one MatMulNBits weight: packed [N, blocks, blob] bytes and one scale per block.</summary>
public sealed record QuantizedWeight(string Packed, string Scales, int OutFeatures, int InFeatures, int Bits, int BlocksPerRow);

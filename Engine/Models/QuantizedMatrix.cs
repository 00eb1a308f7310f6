namespace OrleansSlm.Engine.Models;

/// <summary>Packed MatMulNBits weights ([N, blocks, blob] bytes) and their per-block scales.</summary>
public sealed record QuantizedMatrix(byte[] Packed, float[] Scales, int BlocksPerRow, int BlobSize);

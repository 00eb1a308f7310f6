using System.Runtime.InteropServices;

namespace OrleansSlm.Infrastructure.Onnx;

/// <summary>A TensorProto whose values are stored little-endian in <c>raw_data</c>.</summary>
public sealed class OnnxTensor(string name, OnnxDataType dataType, long[] dims, ReadOnlyMemory<byte> rawData) : IProtoMessage
{
    public string Name { get; } = name;

    public static OnnxTensor FromFloats(string name, long[] dims, float[] values) =>
        new(name, OnnxDataType.Float, Checked(dims, values.Length), MemoryMarshal.AsBytes(values.AsSpan()).ToArray());

    public static OnnxTensor FromInt64s(string name, long[] dims, long[] values) =>
        new(name, OnnxDataType.Int64, Checked(dims, values.Length), MemoryMarshal.AsBytes(values.AsSpan()).ToArray());

    public static OnnxTensor FromBytes(string name, long[] dims, byte[] values) =>
        new(name, OnnxDataType.UInt8, Checked(dims, values.Length), values);

    public void WriteFields(ProtoWriter writer)
    {
        foreach (var dim in dims)
        {
            writer.Int64(OnnxFields.TensorDims, dim);
        }

        writer.Int64(OnnxFields.TensorDataType, (long)dataType);
        writer.String(OnnxFields.TensorName, Name);
        writer.Bytes(OnnxFields.TensorRawData, rawData.Span);
    }

    private static long[] Checked(long[] dims, int count)
    {
        var expected = dims.Aggregate(1L, (product, dim) => product * dim);
        if (expected != count)
        {
            throw new ArgumentException($"Tensor shape [{string.Join(", ", dims)}] holds {expected} values, not {count}.");
        }

        return dims;
    }
}

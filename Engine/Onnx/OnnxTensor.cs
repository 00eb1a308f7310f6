using System.Globalization;
using System.Runtime.InteropServices;

namespace OrleansSlm.Engine.Onnx;

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

    public int ByteLength => rawData.Length;

    public void WriteFields(ProtoWriter writer)
    {
        WriteHeader(writer);
        writer.Bytes(OnnxFields.TensorRawData, rawData.Span);
    }

    /// <summary>Appends the values to an external data file; <see cref="External"/> then refers to them.</summary>
    public void WriteData(Stream data) => data.Write(rawData.Span);

    /// <summary>This tensor with its values in an external data file at <paramref name="offset"/>, as ONNX Runtime resolves it next to the graph.</summary>
    public IProtoMessage External(string location, long offset) => new ExternalTensor(this, location, offset);

    private void WriteHeader(ProtoWriter writer)
    {
        foreach (var dim in dims)
        {
            writer.Int64(OnnxFields.TensorDims, dim);
        }

        writer.Int64(OnnxFields.TensorDataType, (long)dataType);
        writer.String(OnnxFields.TensorName, Name);
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

    private sealed class ExternalTensor(OnnxTensor tensor, string location, long offset) : IProtoMessage
    {
        public void WriteFields(ProtoWriter writer)
        {
            tensor.WriteHeader(writer);
            writer.Message(OnnxFields.TensorExternalData, new OnnxStringEntry("location", location));
            writer.Message(OnnxFields.TensorExternalData, new OnnxStringEntry("offset", offset.ToString(CultureInfo.InvariantCulture)));
            writer.Message(OnnxFields.TensorExternalData, new OnnxStringEntry("length", tensor.ByteLength.ToString(CultureInfo.InvariantCulture)));
            writer.Int64(OnnxFields.TensorDataLocation, OnnxFields.DataLocationExternal);
        }
    }
}

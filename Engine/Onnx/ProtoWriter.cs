using System.Runtime.InteropServices;
using Google.Protobuf;

namespace OrleansSlm.Engine.Onnx;

/// <summary>
/// Writes protobuf fields through <see cref="CodedOutputStream"/>, or only counts their bytes when it has no output.
/// Nested messages are sized by a counting pass first, so a model with hundreds of megabytes of weights streams to
/// disk without ever being copied into a nested buffer.
/// </summary>
public sealed class ProtoWriter
{
    private const int VarintWireType = 0;
    private const int Fixed32WireType = 5;
    private const int LengthDelimitedWireType = 2;

    private readonly Stream? _stream;
    private readonly CodedOutputStream? _output;

    private ProtoWriter(Stream? stream)
    {
        _stream = stream;
        _output = stream is null ? null : new CodedOutputStream(stream, leaveOpen: true);
    }

    public long Length { get; private set; }

    public static void Write(IProtoMessage message, Stream stream)
    {
        var writer = new ProtoWriter(stream);
        message.WriteFields(writer);
        writer._output!.Flush();
    }

    public static long Measure(IProtoMessage message)
    {
        var counter = new ProtoWriter(null);
        message.WriteFields(counter);
        return counter.Length;
    }

    public void Int64(int field, long value)
    {
        Tag(field, VarintWireType);
        Length += CodedOutputStream.ComputeInt64Size(value);
        _output?.WriteInt64(value);
    }

    public void Float(int field, float value)
    {
        Tag(field, Fixed32WireType);
        Length += 4;
        _output?.WriteFloat(value);
    }

    public void String(int field, string value)
    {
        Tag(field, LengthDelimitedWireType);
        Length += CodedOutputStream.ComputeStringSize(value);
        _output?.WriteString(value);
    }

    public void Bytes(int field, ReadOnlySpan<byte> value)
    {
        Tag(field, LengthDelimitedWireType);
        Length += CodedOutputStream.ComputeLengthSize(value.Length) + value.Length;
        if (_output is not null)
        {
            _output.WriteLength(value.Length);
            _output.Flush();
            _stream!.Write(value);
        }
    }

    public void Floats(int field, ReadOnlySpan<float> values) => Bytes(field, MemoryMarshal.AsBytes(values));

    public void Message(int field, IProtoMessage message)
    {
        var size = Measure(message);
        if (size > int.MaxValue)
        {
            throw new InvalidOperationException($"A protobuf message of {size} bytes exceeds the 2 GiB limit of ONNX files.");
        }

        Tag(field, LengthDelimitedWireType);
        Length += CodedOutputStream.ComputeLengthSize((int)size) + size;
        if (_output is not null)
        {
            _output.WriteLength((int)size);
            message.WriteFields(this);
        }
    }

    private void Tag(int field, int wireType)
    {
        var tag = (uint)(field << 3 | wireType);
        Length += CodedOutputStream.ComputeRawVarint32Size(tag);
        _output?.WriteTag(tag);
    }
}

using System.Buffers.Binary;
using System.Text.Json;

namespace OrleansSlm.Engine.Models;

/// <summary>
/// One <c>.safetensors</c> file: an 8-byte little-endian header length, a JSON header (name → dtype, shape,
/// data_offsets; <c>__metadata__</c> skipped), then raw little-endian tensor data. Reads F32, F16 and BF16 as float32.
/// </summary>
public sealed class SafeTensorsFile
{
    private readonly string _path;
    private readonly long _dataStart;
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public SafeTensorsFile(string path)
    {
        _path = path;
        using var stream = File.OpenRead(path);
        Span<byte> lengthBytes = stackalloc byte[8];
        stream.ReadExactly(lengthBytes);
        var headerLength = BinaryPrimitives.ReadInt64LittleEndian(lengthBytes);
        if (headerLength <= 0 || headerLength > stream.Length - 8 || headerLength > 100_000_000)
        {
            throw new InvalidDataException($"{path} is not a safetensors file: header length {headerLength} is out of range.");
        }

        var header = new byte[headerLength];
        stream.ReadExactly(header);
        _dataStart = 8 + headerLength;
        try
        {
            using var document = JsonDocument.Parse(header);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Name == "__metadata__")
                {
                    continue;
                }

                var offsets = property.Value.GetProperty("data_offsets");
                _entries[property.Name] = new Entry(
                    property.Value.GetProperty("dtype").GetString()!,
                    property.Value.GetProperty("shape").EnumerateArray().Select(dim => dim.GetInt32()).ToArray(),
                    offsets[0].GetInt64(),
                    offsets[1].GetInt64());
            }
        }
        catch (Exception exception) when (exception is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new InvalidDataException($"{path} has a malformed safetensors header: {exception.Message}", exception);
        }
    }

    public IEnumerable<string> TensorNames => _entries.Keys;

    public bool Contains(string name) => _entries.ContainsKey(name);

    public float[] Read(string name, int[] shape)
    {
        if (!_entries.TryGetValue(name, out var entry))
        {
            throw new KeyNotFoundException($"{_path} holds no tensor '{name}'.");
        }

        if (!entry.Shape.SequenceEqual(shape))
        {
            throw new InvalidDataException(
                $"Tensor '{name}' in {_path} has shape [{string.Join(", ", entry.Shape)}]; the configuration expects [{string.Join(", ", shape)}].");
        }

        var count = shape.Aggregate(1L, (product, dim) => product * dim);
        var elementSize = entry.DataType switch
        {
            "F32" => 4,
            "F16" or "BF16" => 2,
            _ => throw new NotSupportedException($"Tensor '{name}' has dtype {entry.DataType}; supported: F32, F16, BF16."),
        };
        if (entry.End - entry.Begin != count * elementSize)
        {
            throw new InvalidDataException($"Tensor '{name}' in {_path} spans {entry.End - entry.Begin} bytes, not {count * elementSize}.");
        }

        var bytes = new byte[entry.End - entry.Begin];
        using (var stream = File.OpenRead(_path))
        {
            stream.Position = _dataStart + entry.Begin;
            stream.ReadExactly(bytes);
        }

        var values = new float[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = entry.DataType switch
            {
                "F32" => BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(i * 4)),
                "F16" => (float)BinaryPrimitives.ReadHalfLittleEndian(bytes.AsSpan(i * 2)),
                _ => BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(i * 2)) << 16),
            };
        }

        return values;
    }

    private sealed record Entry(string DataType, int[] Shape, long Begin, long End);
}

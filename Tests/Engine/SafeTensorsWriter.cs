using System.Buffers.Binary;
using System.Text;
using System.Text.Json.Nodes;

namespace OrleansSlm.Tests.Engine;

/// <summary>
/// Writes safetensors as Hugging Face does: an 8-byte little-endian header length, a JSON header padded with spaces
/// to a multiple of 8 bytes, then the tensors' little-endian data; sharded checkpoints add
/// <c>model.safetensors.index.json</c> mapping each tensor to its shard.
/// </summary>
public static class SafeTensorsWriter
{
    public static void WriteCheckpoint(string directory, CheckpointWeights weights, string dataType, int shards)
    {
        var tensors = weights.Tensors().ToList();
        if (shards == 1)
        {
            WriteFile(Path.Combine(directory, "model.safetensors"), tensors, weights, dataType);
            return;
        }

        var weightMap = new JsonObject();
        long totalSize = 0;
        var perShard = (tensors.Count + shards - 1) / shards;
        for (var shard = 0; shard < shards; shard++)
        {
            var name = $"model-{shard + 1:D5}-of-{shards:D5}.safetensors";
            var part = tensors.Skip(shard * perShard).Take(perShard).ToList();
            totalSize += WriteFile(Path.Combine(directory, name), part, weights, dataType);
            foreach (var (tensor, _) in part)
            {
                weightMap[tensor] = name;
            }
        }

        var index = new JsonObject { ["metadata"] = new JsonObject { ["total_size"] = totalSize }, ["weight_map"] = weightMap };
        File.WriteAllText(Path.Combine(directory, "model.safetensors.index.json"), index.ToJsonString());
    }

    /// <summary>BF16 is the upper half of an F32; round to nearest even on the lower half.</summary>
    public static ushort ToBFloat16(float value)
    {
        var bits = BitConverter.SingleToUInt32Bits(value);
        return (ushort)((bits + 0x7FFF + ((bits >> 16) & 1)) >> 16);
    }

    public static float FromBFloat16(ushort value) => BitConverter.UInt32BitsToSingle((uint)value << 16);

    /// <summary>Writes one file and returns the bytes of tensor data in it.</summary>
    private static long WriteFile(string path, List<(string Name, int[] Shape)> tensors, CheckpointWeights weights, string dataType)
    {
        var elementSize = dataType == "F32" ? 4 : 2;
        var header = new JsonObject { ["__metadata__"] = new JsonObject { ["format"] = "pt" } };
        var data = new MemoryStream();
        foreach (var (name, shape) in tensors)
        {
            var values = weights.Read(name, shape);
            var bytes = new byte[values.Length * elementSize];
            for (var i = 0; i < values.Length; i++)
            {
                switch (dataType)
                {
                    case "F32":
                        BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), values[i]);
                        break;
                    case "F16":
                        BinaryPrimitives.WriteHalfLittleEndian(bytes.AsSpan(i * 2), (Half)values[i]);
                        break;
                    default:
                        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(i * 2), ToBFloat16(values[i]));
                        break;
                }
            }

            header[name] = new JsonObject
            {
                ["dtype"] = dataType,
                ["shape"] = new JsonArray(shape.Select(dim => (JsonNode)dim).ToArray()),
                ["data_offsets"] = new JsonArray(data.Length, data.Length + bytes.Length),
            };
            data.Write(bytes);
        }

        var headerText = header.ToJsonString();
        headerText += new string(' ', (8 - (Encoding.UTF8.GetByteCount(headerText) % 8)) % 8);
        var headerBytes = Encoding.UTF8.GetBytes(headerText);
        using var file = File.Create(path);
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(length, headerBytes.Length);
        file.Write(length);
        file.Write(headerBytes);
        data.Position = 0;
        data.CopyTo(file);
        return data.Length;
    }
}

namespace OrleansSlm.Engine.Onnx;

/// <summary>
/// A ModelProto under construction: nodes, initializers, inputs and outputs of one graph, with the default ONNX opset
/// and Microsoft's contrib domain imported (and any other domain a node names, at version 1). Helper methods return the name of the value they create.
/// </summary>
public sealed class OnnxModel(string graphName) : IProtoMessage
{
    public const string MicrosoftDomain = "com.microsoft";
    private const long IrVersion = 8;
    private const long DefaultOpset = 17;

    /// <summary>Initializers this large go to the external data file; smaller ones (shapes, scalars) stay inline, as in ONNX's own converter.</summary>
    private const int ExternalDataThreshold = 1024;

    private readonly List<OnnxNode> _nodes = [];
    private readonly List<OnnxTensor> _initializers = [];
    private readonly List<OnnxValueInfo> _inputs = [];
    private readonly List<OnnxValueInfo> _outputs = [];
    private readonly Dictionary<string, string> _metadata = [];
    private int _nextId;

    private string GraphName { get; } = graphName;

    public void AddInput(string name, OnnxDataType type, params object[] shape) => _inputs.Add(new OnnxValueInfo(name, type, shape));

    public void AddOutput(string name, OnnxDataType type, params object[] shape) => _outputs.Add(new OnnxValueInfo(name, type, shape));

    public void SetMetadata(string key, string value) => _metadata[key] = value;

    public string AddInitializer(OnnxTensor tensor)
    {
        _initializers.Add(tensor);
        return tensor.Name;
    }

    public string Constant(string name, params long[] values) =>
        AddInitializer(OnnxTensor.FromInt64s(UniqueName(name), [values.Length], values));

    public string ScalarConstant(string name, float value) =>
        AddInitializer(OnnxTensor.FromFloats(UniqueName(name), [], [value]));

    /// <summary>Adds a node with one output and returns that output's name.</summary>
    public string Node(string opType, string[] inputs, params OnnxAttribute[] attributes) =>
        NodeWithOutputs(opType, inputs, 1, "", attributes)[0];

    public string ContribNode(string opType, string[] inputs, params OnnxAttribute[] attributes) =>
        NodeWithOutputs(opType, inputs, 1, MicrosoftDomain, attributes)[0];

    public string[] NodeWithOutputs(string opType, string[] inputs, int outputCount, string domain, params OnnxAttribute[] attributes)
    {
        var name = UniqueName(opType);
        var outputs = Enumerable.Range(0, outputCount).Select(i => $"{name}/out{i}").ToArray();
        _nodes.Add(new OnnxNode(opType, name, inputs, outputs, attributes, domain));
        return outputs;
    }

    /// <summary>Adds a node whose outputs carry the given names (graph outputs, for example).</summary>
    public void NamedNode(string opType, string[] inputs, string[] outputs, string domain, params OnnxAttribute[] attributes) =>
        _nodes.Add(new OnnxNode(opType, UniqueName(opType), inputs, outputs, attributes, domain));

    public string UniqueName(string prefix) => $"{prefix}_{_nextId++}";

    public void WriteTo(Stream stream) => ProtoWriter.Write(this, stream);

    /// <summary>
    /// Writes the graph to <paramref name="graph"/> and the values of every initializer of at least
    /// <see cref="ExternalDataThreshold"/> bytes to <paramref name="data"/>, which the graph names as
    /// <paramref name="location"/> (a file next to it): the layout of Hugging Face exports, and the way past
    /// protobuf's 2 GiB limit.
    /// </summary>
    public void WriteTo(Stream graph, Stream data, string location)
    {
        var offsets = new Dictionary<OnnxTensor, long>();
        long offset = 0;
        foreach (var tensor in _initializers.Where(tensor => tensor.ByteLength >= ExternalDataThreshold))
        {
            tensor.WriteData(data);
            offsets[tensor] = offset;
            offset += tensor.ByteLength;
        }

        ProtoWriter.Write(new ModelMessage(this, new ExternalData(location, offsets)), graph);
    }

    public byte[] ToBytes()
    {
        using var stream = new MemoryStream();
        WriteTo(stream);
        return stream.ToArray();
    }

    public void WriteFields(ProtoWriter writer) => new ModelMessage(this, null).WriteFields(writer);

    private sealed record ExternalData(string Location, Dictionary<OnnxTensor, long> Offsets);

    private sealed class ModelMessage(OnnxModel model, ExternalData? external) : IProtoMessage
    {
        public void WriteFields(ProtoWriter writer)
        {
            writer.Int64(OnnxFields.ModelIrVersion, IrVersion);
            writer.String(OnnxFields.ModelProducerName, "OrleansSlm");
            writer.String(OnnxFields.ModelProducerVersion, "1");
            writer.Message(OnnxFields.ModelGraph, new Graph(model, external));
            writer.Message(OnnxFields.ModelOpsetImport, new Opset("", DefaultOpset));
            foreach (var domain in model._nodes.Select(node => node.Domain).Append(MicrosoftDomain).Where(domain => domain.Length > 0).Distinct())
            {
                writer.Message(OnnxFields.ModelOpsetImport, new Opset(domain, 1));
            }
            foreach (var (key, value) in model._metadata)
            {
                writer.Message(OnnxFields.ModelMetadataProps, new OnnxStringEntry(key, value));
            }
        }
    }

    private sealed class Graph(OnnxModel model, ExternalData? external) : IProtoMessage
    {
        public void WriteFields(ProtoWriter writer)
        {
            foreach (var node in model._nodes)
            {
                writer.Message(OnnxFields.GraphNode, node);
            }

            writer.String(OnnxFields.GraphName, model.GraphName);
            foreach (var tensor in model._initializers)
            {
                writer.Message(OnnxFields.GraphInitializer, external?.Offsets.TryGetValue(tensor, out var offset) == true
                    ? tensor.External(external.Location, offset)
                    : tensor);
            }

            foreach (var input in model._inputs)
            {
                writer.Message(OnnxFields.GraphInput, input);
            }

            foreach (var output in model._outputs)
            {
                writer.Message(OnnxFields.GraphOutput, output);
            }
        }
    }

    private sealed record Opset(string Domain, long Version) : IProtoMessage
    {
        public void WriteFields(ProtoWriter writer)
        {
            writer.String(OnnxFields.OpsetDomain, Domain);
            writer.Int64(OnnxFields.OpsetVersion, Version);
        }
    }
}

namespace OrleansSlm.Infrastructure.Onnx;

/// <summary>
/// A ModelProto under construction: nodes, initializers, inputs and outputs of one graph, with the default ONNX opset
/// and Microsoft's contrib domain imported. Helper methods return the name of the value they create.
/// </summary>
public sealed class OnnxModel(string graphName) : IProtoMessage
{
    public const string MicrosoftDomain = "com.microsoft";
    private const long IrVersion = 8;
    private const long DefaultOpset = 17;

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

    public byte[] ToBytes()
    {
        using var stream = new MemoryStream();
        WriteTo(stream);
        return stream.ToArray();
    }

    public void WriteFields(ProtoWriter writer)
    {
        writer.Int64(OnnxFields.ModelIrVersion, IrVersion);
        writer.String(OnnxFields.ModelProducerName, "OrleansSlm");
        writer.String(OnnxFields.ModelProducerVersion, "1");
        writer.Message(OnnxFields.ModelGraph, new Graph(this));
        writer.Message(OnnxFields.ModelOpsetImport, new Opset("", DefaultOpset));
        writer.Message(OnnxFields.ModelOpsetImport, new Opset(MicrosoftDomain, 1));
        foreach (var (key, value) in _metadata)
        {
            writer.Message(OnnxFields.ModelMetadataProps, new Entry(key, value));
        }
    }

    private sealed class Graph(OnnxModel model) : IProtoMessage
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
                writer.Message(OnnxFields.GraphInitializer, tensor);
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

    private sealed record Entry(string Key, string Value) : IProtoMessage
    {
        public void WriteFields(ProtoWriter writer)
        {
            writer.String(OnnxFields.StringEntryKey, Key);
            writer.String(OnnxFields.StringEntryValue, Value);
        }
    }
}

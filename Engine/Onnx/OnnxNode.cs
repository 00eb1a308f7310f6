namespace OrleansSlm.Engine.Onnx;

/// <summary>A NodeProto; an empty input name marks an omitted optional input.</summary>
public sealed record OnnxNode(
    string OpType,
    string Name,
    IReadOnlyList<string> Inputs,
    IReadOnlyList<string> Outputs,
    IReadOnlyList<OnnxAttribute> Attributes,
    string Domain = "") : IProtoMessage
{
    public void WriteFields(ProtoWriter writer)
    {
        foreach (var input in Inputs)
        {
            writer.String(OnnxFields.NodeInput, input);
        }

        foreach (var output in Outputs)
        {
            writer.String(OnnxFields.NodeOutput, output);
        }

        writer.String(OnnxFields.NodeName, Name);
        writer.String(OnnxFields.NodeOpType, OpType);
        foreach (var attribute in Attributes)
        {
            writer.Message(OnnxFields.NodeAttribute, attribute);
        }

        if (Domain.Length > 0)
        {
            writer.String(OnnxFields.NodeDomain, Domain);
        }
    }
}

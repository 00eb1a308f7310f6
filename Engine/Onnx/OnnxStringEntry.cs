namespace OrleansSlm.Engine.Onnx;

/// <summary>A StringStringEntryProto: model metadata, and the location of a tensor's external data.</summary>
internal sealed record OnnxStringEntry(string Key, string Value) : IProtoMessage
{
    public void WriteFields(ProtoWriter writer)
    {
        writer.String(OnnxFields.StringEntryKey, Key);
        writer.String(OnnxFields.StringEntryValue, Value);
    }
}

namespace OrleansSlm.Engine.Onnx;

/// <summary>A protobuf message that writes its fields to a <see cref="ProtoWriter"/> (once to size it, once to emit it).</summary>
public interface IProtoMessage
{
    void WriteFields(ProtoWriter writer);
}

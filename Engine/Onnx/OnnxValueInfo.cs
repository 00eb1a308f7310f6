namespace OrleansSlm.Engine.Onnx;

/// <summary>A graph input or output: a name, an element type and a shape whose dimensions are numbers or symbolic names.</summary>
public sealed record OnnxValueInfo(string Name, OnnxDataType ElementType, IReadOnlyList<object> Shape) : IProtoMessage
{
    public void WriteFields(ProtoWriter writer)
    {
        writer.String(OnnxFields.ValueInfoName, Name);
        writer.Message(OnnxFields.ValueInfoType, new Nested(w => w.Message(OnnxFields.TypeTensor, new Nested(tensor =>
        {
            tensor.Int64(OnnxFields.TensorTypeElemType, (long)ElementType);
            tensor.Message(OnnxFields.TensorTypeShape, new Nested(shape =>
            {
                foreach (var dim in Shape)
                {
                    shape.Message(OnnxFields.ShapeDim, new Nested(d =>
                    {
                        if (dim is string symbol)
                        {
                            d.String(OnnxFields.DimParam, symbol);
                        }
                        else
                        {
                            d.Int64(OnnxFields.DimValue, Convert.ToInt64(dim));
                        }
                    }));
                }
            }));
        }))));
    }

    private sealed class Nested(Action<ProtoWriter> write) : IProtoMessage
    {
        public void WriteFields(ProtoWriter writer) => write(writer);
    }
}

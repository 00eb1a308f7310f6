using System.Text;

namespace OrleansSlm.Engine.Onnx;

/// <summary>An AttributeProto of one of the kinds the decoder graphs need: int, float, string or ints.</summary>
public sealed class OnnxAttribute : IProtoMessage
{
    private readonly string _name;
    private readonly int _type;
    private readonly long _int;
    private readonly float _float;
    private readonly string? _string;
    private readonly long[]? _ints;

    private OnnxAttribute(string name, int type, long intValue = 0, float floatValue = 0, string? stringValue = null, long[]? ints = null)
    {
        _name = name;
        _type = type;
        _int = intValue;
        _float = floatValue;
        _string = stringValue;
        _ints = ints;
    }

    public static OnnxAttribute Int(string name, long value) => new(name, OnnxFields.AttributeTypeInt, intValue: value);

    public static OnnxAttribute Float(string name, float value) => new(name, OnnxFields.AttributeTypeFloat, floatValue: value);

    public static OnnxAttribute String(string name, string value) => new(name, OnnxFields.AttributeTypeString, stringValue: value);

    public static OnnxAttribute Ints(string name, params long[] values) => new(name, OnnxFields.AttributeTypeInts, ints: values);

    public void WriteFields(ProtoWriter writer)
    {
        writer.String(OnnxFields.AttributeName, _name);
        switch (_type)
        {
            case OnnxFields.AttributeTypeInt:
                writer.Int64(OnnxFields.AttributeInt, _int);
                break;
            case OnnxFields.AttributeTypeFloat:
                writer.Float(OnnxFields.AttributeFloat, _float);
                break;
            case OnnxFields.AttributeTypeString:
                writer.Bytes(OnnxFields.AttributeString, Encoding.UTF8.GetBytes(_string!));
                break;
            default:
                foreach (var value in _ints!)
                {
                    writer.Int64(OnnxFields.AttributeInts, value);
                }

                break;
        }

        writer.Int64(OnnxFields.AttributeType, _type);
    }
}

namespace OrleansSlm.Engine.Onnx;

/// <summary>Field numbers of onnx.proto (ONNX IR version 8) for the messages this writer emits.</summary>
internal static class OnnxFields
{
    public const int ModelIrVersion = 1;
    public const int ModelProducerName = 2;
    public const int ModelProducerVersion = 3;
    public const int ModelGraph = 7;
    public const int ModelOpsetImport = 8;
    public const int ModelMetadataProps = 14;

    public const int OpsetDomain = 1;
    public const int OpsetVersion = 2;

    public const int StringEntryKey = 1;
    public const int StringEntryValue = 2;

    public const int GraphNode = 1;
    public const int GraphName = 2;
    public const int GraphInitializer = 5;
    public const int GraphInput = 11;
    public const int GraphOutput = 12;

    public const int NodeInput = 1;
    public const int NodeOutput = 2;
    public const int NodeName = 3;
    public const int NodeOpType = 4;
    public const int NodeAttribute = 5;
    public const int NodeDomain = 7;

    public const int AttributeName = 1;
    public const int AttributeFloat = 2;
    public const int AttributeInt = 3;
    public const int AttributeString = 4;
    public const int AttributeInts = 8;
    public const int AttributeType = 20;

    public const int AttributeTypeFloat = 1;
    public const int AttributeTypeInt = 2;
    public const int AttributeTypeString = 3;
    public const int AttributeTypeInts = 7;

    public const int TensorDims = 1;
    public const int TensorDataType = 2;
    public const int TensorName = 8;
    public const int TensorRawData = 9;
    public const int TensorExternalData = 13;
    public const int TensorDataLocation = 14;
    public const int DataLocationExternal = 1;

    public const int ValueInfoName = 1;
    public const int ValueInfoType = 2;
    public const int TypeTensor = 1;
    public const int TensorTypeElemType = 1;
    public const int TensorTypeShape = 2;
    public const int ShapeDim = 1;
    public const int DimValue = 1;
    public const int DimParam = 2;
}

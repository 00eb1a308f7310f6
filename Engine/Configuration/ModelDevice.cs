namespace OrleansSlm.Engine.Configuration;

/// <summary>The ONNX Runtime execution provider a silo runs the model on (<c>Model:Device</c>).</summary>
public enum ModelDevice
{
    Cpu,
    Cuda,
}

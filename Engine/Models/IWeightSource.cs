namespace OrleansSlm.Engine.Models;

/// <summary>Where the builder reads weights from, by Hugging Face tensor name, as row-major float32.</summary>
public interface IWeightSource
{
    bool Contains(string name);

    /// <summary>The tensor's values; fails with a clear message when it is missing or its shape is not <paramref name="shape"/>.</summary>
    float[] Read(string name, params int[] shape);
}

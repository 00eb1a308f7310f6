namespace OrleansSlm.Engine.Configuration;

/// <summary>Weight precision of the graphs the model builder writes (<c>Model:Precision</c>).</summary>
public enum ModelPrecision
{
    Fp32,

    /// <summary>8-bit weights through MatMulNBits, block size 32.</summary>
    Int8,

    /// <summary>4-bit weights through MatMulNBits, block size 32.</summary>
    Int4,
}

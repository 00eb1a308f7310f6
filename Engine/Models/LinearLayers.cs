using OrleansSlm.Engine.Configuration;
using OrleansSlm.Engine.Onnx;

namespace OrleansSlm.Engine.Models;

/// <summary>
/// Writes <c>y = x · Wᵀ</c> for Hugging Face linear weights ([out, in]) at the chosen precision: a MatMul on the
/// transposed float32 matrix, or MatMulNBits (block <see cref="BlockQuantizer.BlockSize"/>) on 8-bit or 4-bit weights.
/// </summary>
public sealed class LinearLayers(OnnxModel model, ModelPrecision precision)
{
    /// <summary>MatMulNBits accuracy level 4 computes with int8 activations: fastest on CPU, its error is in the tolerance tests.</summary>
    private const int AccuracyLevel = 4;

    public string Apply(string input, string name, float[] weight, int outFeatures, int inFeatures)
    {
        if (precision == ModelPrecision.Fp32)
        {
            var transposed = new float[weight.Length];
            for (var o = 0; o < outFeatures; o++)
            {
                for (var i = 0; i < inFeatures; i++)
                {
                    transposed[(long)i * outFeatures + o] = weight[(long)o * inFeatures + i];
                }
            }

            var matrix = model.AddInitializer(OnnxTensor.FromFloats(name, [inFeatures, outFeatures], transposed));
            return model.Node("MatMul", [input, matrix]);
        }

        return Apply(input, Quantize(name, weight, outFeatures, inFeatures));
    }

    /// <summary>
    /// Adds a weight's MatMulNBits initializers (int8/int4 graphs only), for <see cref="Apply(string, QuantizedWeight)"/>
    /// and any other node that reads the same bytes.
    /// </summary>
    public QuantizedWeight Quantize(string name, float[] weight, int outFeatures, int inFeatures)
    {
        if (precision == ModelPrecision.Fp32)
        {
            throw new InvalidOperationException("An fp32 graph has no quantised weights.");
        }

        var bits = precision == ModelPrecision.Int8 ? 8 : 4;
        var quantized = BlockQuantizer.Quantize(weight, outFeatures, inFeatures, bits);
        var packed = model.AddInitializer(OnnxTensor.FromBytes(
            name + ".qweight", [outFeatures, quantized.BlocksPerRow, quantized.BlobSize], quantized.Packed));
        var scales = model.AddInitializer(OnnxTensor.FromFloats(name + ".scales", [quantized.Scales.Length], quantized.Scales));
        return new QuantizedWeight(packed, scales, outFeatures, inFeatures, bits, quantized.BlocksPerRow);
    }

    public string Apply(string input, QuantizedWeight weight) =>
        model.ContribNode("MatMulNBits", [input, weight.Packed, weight.Scales],
            OnnxAttribute.Int("K", weight.InFeatures),
            OnnxAttribute.Int("N", weight.OutFeatures),
            OnnxAttribute.Int("bits", weight.Bits),
            OnnxAttribute.Int("block_size", BlockQuantizer.BlockSize),
            OnnxAttribute.Int("accuracy_level", AccuracyLevel));
}

using OrleansSlm.Infrastructure.Configuration;
using OrleansSlm.Infrastructure.Onnx;

namespace OrleansSlm.Infrastructure.Models;

/// <summary>
/// Writes <c>y = x · Wᵀ</c> for Hugging Face linear weights ([out, in]) at the chosen precision: a MatMul on the
/// transposed float32 matrix, or MatMulNBits (block 32) on 8-bit or 4-bit weights.
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

        var bits = precision == ModelPrecision.Int8 ? 8 : 4;
        var quantized = BlockQuantizer.Quantize(weight, outFeatures, inFeatures, bits);
        var packed = model.AddInitializer(OnnxTensor.FromBytes(
            name + ".qweight", [outFeatures, quantized.BlocksPerRow, quantized.BlobSize], quantized.Packed));
        var scales = model.AddInitializer(OnnxTensor.FromFloats(name + ".scales", [quantized.Scales.Length], quantized.Scales));
        return model.ContribNode("MatMulNBits", [input, packed, scales],
            OnnxAttribute.Int("K", inFeatures),
            OnnxAttribute.Int("N", outFeatures),
            OnnxAttribute.Int("bits", bits),
            OnnxAttribute.Int("block_size", BlockQuantizer.BlockSize),
            OnnxAttribute.Int("accuracy_level", AccuracyLevel));
    }
}

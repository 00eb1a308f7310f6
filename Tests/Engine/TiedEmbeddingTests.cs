using OrleansSlm.Engine.Configuration;
using OrleansSlm.Engine.Models;

namespace OrleansSlm.Tests.Engine;

public sealed class TiedEmbeddingTests
{
    /// <summary>
    /// An untied graph must hold two vocab × hidden matrices (the lookup table and the head); a tied graph that holds
    /// its embedding once is smaller by one float32 matrix (less the few hundred bytes of shape constants that the
    /// shared paths add): fp32 keeps no transposed head copy, int8/int4 keep no float32 lookup table next to the
    /// quantised head. A second copy would leave the two graphs about the same size.
    /// </summary>
    [Theory]
    [InlineData(ModelPrecision.Fp32)]
    [InlineData(ModelPrecision.Int8)]
    [InlineData(ModelPrecision.Int4)]
    public void A_tied_graph_stores_the_embedding_once(ModelPrecision precision)
    {
        var untiedWeights = new CheckpointWeights("F32", untied: true);
        var untied = KvSlotGraphBuilder.Build(untiedWeights.Description, untiedWeights, precision, TinyModel.Attention).ToBytes();
        var tied = TinyModel.Graph(precision);

        var matrixBytes = 4L * TinyModel.Description.VocabSize * TinyModel.Description.HiddenSize;
        Assert.True(untied.Length - tied.Length > matrixBytes * 9 / 10,
            $"{precision}: tied {tied.Length} bytes, untied {untied.Length}; one float32 embedding is {matrixBytes}");
    }
}

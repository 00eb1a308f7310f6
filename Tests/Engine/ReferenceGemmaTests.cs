using OrleansSlm.Engine.Models;

namespace OrleansSlm.Tests.Engine;

/// <summary>
/// The Gemma 3 reference's own consistency on a tiny config whose window (4) is shorter than the prompt (10): the
/// properties any correct forward pass has, so that the graph can later be held to the reference.
/// </summary>
public sealed class ReferenceGemmaTests
{
    private static readonly ModelDescription Tiny = new()
    {
        ModelType = "gemma3_text",
        HiddenSize = 32,
        Layers = 3,
        Heads = 4,
        KvHeads = 2,
        HeadDim = 16,
        IntermediateSize = 48,
        VocabSize = 64,
        RopeTheta = 1e6f,
        RopeLocalTheta = 1e4f,
        RmsNormEps = 1e-6f,
        TieWordEmbeddings = true,
        SlidingLayers = [true, true, false],
        SlidingWindow = 4,
        QueryPreAttentionScalar = 16,
    };

    private static readonly int[] Prompt = [3, 17, 42, 8, 8, 61, 0, 25, 33, 12];

    private readonly RandomWeightSource _weights = new(seed: 11, std: 0.3f);

    [Fact]
    public void A_position_depends_on_nothing_after_it()
    {
        var whole = new ReferenceGemma(Tiny, _weights).Logits(Prompt);
        var prefix = new ReferenceGemma(Tiny, _weights).Logits(Prompt[..6]);

        Assert.Equal(prefix, whole[..6]);
    }

    [Fact]
    public void Within_the_window_sliding_layers_see_what_full_ones_see_and_beyond_it_they_do_not()
    {
        // One RoPE base for both, so that the window is the only difference.
        var oneBase = Tiny with { RopeLocalTheta = Tiny.RopeTheta };
        var sliding = new ReferenceGemma(oneBase, _weights).Logits(Prompt);
        var noneSlide = new ReferenceGemma(oneBase with { SlidingLayers = [false, false, false] }, _weights).Logits(Prompt);

        Assert.Equal(noneSlide[..4], sliding[..4]);
        Assert.NotEqual(noneSlide[9], sliding[9]);
    }

    [Fact]
    public void A_token_older_than_the_window_of_every_layer_changes_nothing_when_no_layer_attends_fully()
    {
        var allSlide = Tiny with { SlidingLayers = [true, true, true], SlidingWindow = 3 };
        var changedFirst = (int[])Prompt.Clone();
        changedFirst[0] = 50;

        var original = new ReferenceGemma(allSlide, _weights).Logits(Prompt);
        var changed = new ReferenceGemma(allSlide, _weights).Logits(changedFirst);

        // Each layer of a three-token window reaches two positions further back: three layers reach six.
        Assert.NotEqual(original[6], changed[6]);
        Assert.Equal(original[7], changed[7]);
    }

    [Fact]
    public void Soft_capping_bounds_the_logits_by_the_cap()
    {
        var capped = new ReferenceGemma(Tiny with { FinalLogitSoftcap = 0.5f }, _weights).Logits(Prompt);

        Assert.All(capped.SelectMany(row => row), logit => Assert.InRange(logit, -0.5f, 0.5f));
    }
}

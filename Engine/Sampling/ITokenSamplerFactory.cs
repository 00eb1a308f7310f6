namespace OrleansSlm.Engine.Sampling;

/// <summary>Makes each request's sampler; the scheduler's one seam for choosing tokens differently.</summary>
public interface ITokenSamplerFactory
{
    ITokenSampler Create(SamplingOptions options);
}

/// <summary>The engine's <see cref="Sampler"/>, which every host uses.</summary>
public sealed class SamplerFactory : ITokenSamplerFactory
{
    public static readonly SamplerFactory Instance = new();

    public ITokenSampler Create(SamplingOptions options) => new Sampler(options);
}

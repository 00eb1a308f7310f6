using OrleansSlm.Grains.Hosting;

namespace OrleansSlm.Frontend.Hosting;

/// <summary>
/// The embedded default: a silo with its grains and the inference engine in the frontend's process. This file is the
/// only place the frontend reaches past the grain interfaces; a build with <c>-p:EmbeddedSilo=false</c> leaves it
/// out, and with it the engine and ONNX Runtime.
/// </summary>
internal static class EmbeddedSiloHosting
{
    public static void AddEmbeddedSilo(WebApplicationBuilder builder, IHealthChecksBuilder health)
    {
        builder.UseOrleans(silo => silo.UseOrleansSlmEmbedded(builder.Configuration));
        health.AddLocalSiloCheck();
    }
}

using System.Runtime.Intrinsics;
using OrleansSlm.Engine.Configuration;
using OrleansSlm.Engine.Decoding;

namespace OrleansSlm.Tests.Engine;

public sealed class DeviceSelectionTests
{
    [Fact]
    public void Asking_for_cuda_without_the_provider_fails_with_a_message_that_names_the_way_out()
    {
        var options = new ModelOptions { Device = ModelDevice.Cuda };

        var error = Assert.Throws<InvalidOperationException>(() => SessionFactory.CreateOptions(options));

        Assert.Contains("CUDAExecutionProvider", error.Message);
        Assert.Contains("-p:OnnxRuntimeFlavor=Gpu", error.Message);
        Assert.Contains("Model:Device", error.Message);
    }

    [Fact]
    public void Automatic_attention_is_the_projects_kernel_on_a_vector_cpu_and_onnx_runtimes_on_cuda()
    {
        var onCpu = new ModelOptions { Device = ModelDevice.Cpu }.ResolveAttention();
        var onCuda = new ModelOptions { Device = ModelDevice.Cuda }.ResolveAttention();

        Assert.Equal(Vector256.IsHardwareAccelerated ? AttentionKernel.Slot : AttentionKernel.GroupQuery, onCpu);
        Assert.Equal(AttentionKernel.GroupQuery, onCuda);
        Assert.Equal(AttentionKernel.GroupQuery, new ModelOptions { Attention = AttentionKernel.GroupQuery }.ResolveAttention());
    }

    [Fact]
    public void Asking_for_the_cpu_attention_kernel_on_cuda_fails_with_a_message_that_names_the_way_out()
    {
        var options = new ModelOptions { Device = ModelDevice.Cuda, Attention = AttentionKernel.Slot };

        var error = Assert.Throws<InvalidOperationException>(() => options.ResolveAttention());

        Assert.Contains("Model:Attention", error.Message);
        Assert.Contains("GroupQuery", error.Message);
    }
}

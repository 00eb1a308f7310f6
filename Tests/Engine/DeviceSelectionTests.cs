using OrleansSlm.Infrastructure.Configuration;
using OrleansSlm.Infrastructure.Engine;

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
}

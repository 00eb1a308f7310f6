using Microsoft.ML.OnnxRuntime;
using OrleansSlm.Engine.Configuration;
using OrleansSlm.Engine.CustomOps;

namespace OrleansSlm.Engine.Decoding;

/// <summary>Creates ONNX Runtime sessions with the execution provider and thread count of <see cref="ModelOptions"/>.</summary>
public static class SessionFactory
{
    public const string CudaProvider = "CUDAExecutionProvider";

    /// <summary>
    /// Sessions are created one at a time in a process: the first session with the project's operator domain
    /// registers its schemas in ONNX's process-wide registry, and two sessions doing that at once fail with "the
    /// domain is already exist" (two silos, or tests, loading models together). Creating a session is rare.
    /// </summary>
    private static readonly Lock CreationLock = new();

    public static InferenceSession Create(string modelPath, ModelOptions options)
    {
        lock (CreationLock)
        {
            return new InferenceSession(modelPath, CreateOptions(options));
        }
    }

    public static InferenceSession Create(byte[] model, ModelOptions options)
    {
        lock (CreationLock)
        {
            return new InferenceSession(model, CreateOptions(options));
        }
    }

    public static SessionOptions CreateOptions(ModelOptions options)
    {
        var sessionOptions = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            IntraOpNumThreads = options.Threads > 0 ? options.Threads : Environment.ProcessorCount,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
        };
        SlotAttentionOp.AddTo(sessionOptions);
        if (options.Device == ModelDevice.Cuda)
        {
            var available = OrtEnv.Instance().GetAvailableProviders();
            if (!available.Contains(CudaProvider))
            {
                sessionOptions.Dispose();
                throw new InvalidOperationException(
                    $"Model:Device is 'cuda' but this build of ONNX Runtime has no {CudaProvider} (available: {string.Join(", ", available)}). " +
                    "Build with -p:OnnxRuntimeFlavor=Gpu on a machine with CUDA 12 and cuDNN 9, or set Model:Device to 'cpu'.");
            }

            try
            {
                sessionOptions.AppendExecutionProvider_CUDA(0);
            }
            catch (OnnxRuntimeException exception)
            {
                sessionOptions.Dispose();
                throw new InvalidOperationException(
                    $"Model:Device is 'cuda' but the CUDA execution provider failed to start: {exception.Message}. " +
                    "Check the GPU driver, CUDA 12 and cuDNN 9, or set Model:Device to 'cpu'.", exception);
            }
        }

        return sessionOptions;
    }
}

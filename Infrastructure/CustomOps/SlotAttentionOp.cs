using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace OrleansSlm.Infrastructure.CustomOps;

/// <summary>
/// Registers <see cref="SlotAttentionKernel"/> with ONNX Runtime as the CPU operator
/// <c>orleansslm.SlotAttention</c>: an <c>OrtCustomOp</c> table of C-callable functions in native memory, built once
/// per process and added to each session's options.
/// </summary>
public static unsafe class SlotAttentionOp
{
    public const string Domain = "orleansslm";
    public const string Name = "SlotAttention";

    /// <summary>Version 16 of the table: required inputs, CreateKernelV2 and KernelComputeV2 (they report errors).</summary>
    private const uint TableVersion = 16;
    private const int TableSlots = 26;

    private const int FloatType = 1;
    private const int Int32Type = 6;

    private static readonly Lazy<nint> DomainHandle = new(CreateDomain);
    private static readonly nint NameText = Marshal.StringToCoTaskMemUTF8(Name);
    private static readonly nint ProviderText = Marshal.StringToCoTaskMemUTF8("CPUExecutionProvider");

    /// <summary>Makes graphs that use the operator loadable by sessions created with <paramref name="options"/>.</summary>
    public static void AddTo(Microsoft.ML.OnnxRuntime.SessionOptions options) =>
        OrtApi.AddDomain(options.DangerousGetHandle(), DomainHandle.Value);

    private static nint CreateDomain()
    {
        var table = (nint*)NativeMemory.AllocZeroed(TableSlots, (nuint)sizeof(nint));
        *(uint*)table = TableVersion;
        table[2] = (nint)(delegate* unmanaged[Cdecl]<nint, nint>)&GetName;
        table[3] = (nint)(delegate* unmanaged[Cdecl]<nint, nint>)&GetExecutionProviderType;
        table[4] = (nint)(delegate* unmanaged[Cdecl]<nint, nuint, int>)&GetInputType;
        table[5] = (nint)(delegate* unmanaged[Cdecl]<nint, nuint>)&GetInputTypeCount;
        table[6] = (nint)(delegate* unmanaged[Cdecl]<nint, nuint, int>)&GetOutputType;
        table[7] = (nint)(delegate* unmanaged[Cdecl]<nint, nuint>)&GetOutputTypeCount;
        table[9] = (nint)(delegate* unmanaged[Cdecl]<nint, void>)&KernelDestroy;
        table[10] = (nint)(delegate* unmanaged[Cdecl]<nint, nuint, int>)&Required;
        table[11] = (nint)(delegate* unmanaged[Cdecl]<nint, nuint, int>)&Required;
        table[12] = (nint)(delegate* unmanaged[Cdecl]<nint, nuint, int>)&DefaultMemory;
        table[13] = (nint)(delegate* unmanaged[Cdecl]<nint, int>)&One;
        table[14] = (nint)(delegate* unmanaged[Cdecl]<nint, int>)&One;
        table[15] = (nint)(delegate* unmanaged[Cdecl]<nint, int>)&One;
        table[16] = (nint)(delegate* unmanaged[Cdecl]<nint, int>)&One;
        table[17] = (nint)(delegate* unmanaged[Cdecl]<nint, nint, nint, nint*, nint>)&CreateKernel;
        table[18] = (nint)(delegate* unmanaged[Cdecl]<nint, nint, nint>)&Compute;

        var domain = OrtApi.CreateCustomOpDomain(Domain);
        OrtApi.AddToDomain(domain, (nint)table);
        return domain;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static nint GetName(nint op) => NameText;

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static nint GetExecutionProviderType(nint op) => ProviderText;

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int GetInputType(nint op, nuint index) =>
        index is SlotAttentionKernel.SeqLensInput or SlotAttentionKernel.TotalLengthInput ? Int32Type : FloatType;

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static nuint GetInputTypeCount(nint op) => SlotAttentionKernel.InputCount;

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int GetOutputType(nint op, nuint index) => FloatType;

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static nuint GetOutputTypeCount(nint op) => SlotAttentionKernel.OutputCount;

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int Required(nint op, nuint index) => 0;

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int DefaultMemory(nint op, nuint index) => 0;

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int One(nint op) => 1;

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static nint CreateKernel(nint op, nint api, nint info, nint* kernel)
    {
        try
        {
            var instance = new SlotAttentionKernel(
                (int)OrtApi.AttributeInt64(info, "num_heads"),
                (int)OrtApi.AttributeInt64(info, "kv_num_heads"),
                OrtApi.AttributeFloat(info, "scale"));
            *kernel = GCHandle.ToIntPtr(GCHandle.Alloc(instance));
            return 0;
        }
        catch (Exception exception)
        {
            return OrtApi.CreateStatus($"{Name}: {exception.Message}");
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static nint Compute(nint kernel, nint context)
    {
        try
        {
            ((SlotAttentionKernel)GCHandle.FromIntPtr(kernel).Target!).Compute(context);
            return 0;
        }
        catch (Exception exception)
        {
            return OrtApi.CreateStatus($"{Name}: {exception.Message}");
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void KernelDestroy(nint kernel) => GCHandle.FromIntPtr(kernel).Free();
}

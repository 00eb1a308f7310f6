using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace OrleansSlm.Engine.CustomOps;

/// <summary>
/// Registers <see cref="SlotAttentionKernel"/> with ONNX Runtime as the CPU operators <c>orleansslm.SlotAttention</c>
/// (float32 KV cache) and <c>orleansslm.SlotAttentionBFloat16</c> (bfloat16 KV cache): <c>OrtCustomOp</c> tables of
/// C-callable functions in native memory, built once per process and added to each session's options.
/// </summary>
public static unsafe class SlotAttentionOp
{
    public const string Domain = "orleansslm";
    public const string Name = "SlotAttention";
    public const string BFloat16CacheName = "SlotAttentionBFloat16";

    /// <summary>Version 16 of the table: required inputs, CreateKernelV2 and KernelComputeV2 (they report errors).</summary>
    private const uint TableVersion = 16;

    /// <summary>The 26 slots of the table, then one of ours that ONNX Runtime never reads: 1 for a bfloat16 cache.</summary>
    private const int TableSlots = 27;
    private const int CacheTypeSlot = 26;

    private const int FloatType = 1;
    private const int Int32Type = 6;
    private const int BFloat16Type = 16;

    private static readonly Lazy<nint> DomainHandle = new(CreateDomain);
    private static readonly nint NameText = Marshal.StringToCoTaskMemUTF8(Name);
    private static readonly nint BFloat16NameText = Marshal.StringToCoTaskMemUTF8(BFloat16CacheName);
    private static readonly nint ProviderText = Marshal.StringToCoTaskMemUTF8("CPUExecutionProvider");

    /// <summary>Makes graphs that use the operators loadable by sessions created with <paramref name="options"/>.</summary>
    public static void AddTo(Microsoft.ML.OnnxRuntime.SessionOptions options) =>
        OrtApi.AddDomain(options.DangerousGetHandle(), DomainHandle.Value);

    private static nint CreateDomain()
    {
        var domain = OrtApi.CreateCustomOpDomain(Domain);
        OrtApi.AddToDomain(domain, CreateTable(bfloat16Cache: false));
        OrtApi.AddToDomain(domain, CreateTable(bfloat16Cache: true));
        return domain;
    }

    private static nint CreateTable(bool bfloat16Cache)
    {
        var table = (nint*)NativeMemory.AllocZeroed(TableSlots, (nuint)sizeof(nint));
        *(uint*)table = TableVersion;
        table[2] = (nint)(delegate* unmanaged[Cdecl]<nint*, nint>)&GetName;
        table[3] = (nint)(delegate* unmanaged[Cdecl]<nint*, nint>)&GetExecutionProviderType;
        table[4] = (nint)(delegate* unmanaged[Cdecl]<nint*, nuint, int>)&GetInputType;
        table[5] = (nint)(delegate* unmanaged[Cdecl]<nint*, nuint>)&GetInputTypeCount;
        table[6] = (nint)(delegate* unmanaged[Cdecl]<nint*, nuint, int>)&GetOutputType;
        table[7] = (nint)(delegate* unmanaged[Cdecl]<nint*, nuint>)&GetOutputTypeCount;
        table[9] = (nint)(delegate* unmanaged[Cdecl]<nint, void>)&KernelDestroy;
        table[10] = (nint)(delegate* unmanaged[Cdecl]<nint*, nuint, int>)&Required;
        table[11] = (nint)(delegate* unmanaged[Cdecl]<nint*, nuint, int>)&Required;
        table[12] = (nint)(delegate* unmanaged[Cdecl]<nint*, nuint, int>)&DefaultMemory;
        table[13] = (nint)(delegate* unmanaged[Cdecl]<nint*, int>)&One;
        table[14] = (nint)(delegate* unmanaged[Cdecl]<nint*, int>)&One;
        table[15] = (nint)(delegate* unmanaged[Cdecl]<nint*, int>)&One;
        table[16] = (nint)(delegate* unmanaged[Cdecl]<nint*, int>)&One;
        table[17] = (nint)(delegate* unmanaged[Cdecl]<nint*, nint, nint, nint*, nint>)&CreateKernel;
        table[18] = (nint)(delegate* unmanaged[Cdecl]<nint, nint, nint>)&Compute;
        table[CacheTypeSlot] = bfloat16Cache ? 1 : 0;
        return (nint)table;
    }

    private static bool HasBFloat16Cache(nint* op) => op[CacheTypeSlot] == 1;

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static nint GetName(nint* op) => HasBFloat16Cache(op) ? BFloat16NameText : NameText;

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static nint GetExecutionProviderType(nint* op) => ProviderText;

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int GetInputType(nint* op, nuint index) => index switch
    {
        SlotAttentionKernel.SeqLensInput or SlotAttentionKernel.TotalLengthInput => Int32Type,
        SlotAttentionKernel.PastKeyInput or SlotAttentionKernel.PastValueInput => CacheType(op),
        _ => FloatType,
    };

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static nuint GetInputTypeCount(nint* op) => SlotAttentionKernel.InputCount;

    /// <summary>Output 0 is the attention, 1 and 2 the present key and value (the cache).</summary>
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int GetOutputType(nint* op, nuint index) => index == 0 ? FloatType : CacheType(op);

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static nuint GetOutputTypeCount(nint* op) => SlotAttentionKernel.OutputCount;

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int Required(nint* op, nuint index) => 0;

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int DefaultMemory(nint* op, nuint index) => 0;

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int One(nint* op) => 1;

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static nint CreateKernel(nint* op, nint api, nint info, nint* kernel)
    {
        try
        {
            var instance = new SlotAttentionKernel(
                (int)OrtApi.AttributeInt64(info, "num_heads"),
                (int)OrtApi.AttributeInt64(info, "kv_num_heads"),
                OrtApi.AttributeFloat(info, "scale"),
                HasBFloat16Cache(op),
                (int)OrtApi.AttributeInt64OrDefault(info, "local_window_size", -1),
                OrtApi.AttributeFloatOrDefault(info, "softcap", 0f));
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

    private static int CacheType(nint* op) => HasBFloat16Cache(op) ? BFloat16Type : FloatType;
}

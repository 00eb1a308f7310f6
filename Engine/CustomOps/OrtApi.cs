using System.Runtime.InteropServices;

namespace OrleansSlm.Engine.CustomOps;

/// <summary>
/// The few entries of ONNX Runtime's C API table (<c>OrtApi</c>) that a kernel written in C# needs: the managed
/// package exposes no custom-operator API, so the table is read from the loaded native library. The table only ever
/// grows at its end, so the slot numbers below hold for every release from the requested version on.
/// </summary>
internal static unsafe class OrtApi
{
    /// <summary>1.17 added KernelContext_ParallelFor, the newest entry used here.</summary>
    private const uint RequiredApiVersion = 17;

    private const int CreateStatusSlot = 0;
    private const int GetErrorMessageSlot = 2;
    private const int CreateCustomOpDomainSlot = 26;
    private const int CustomOpDomainAddSlot = 27;
    private const int AddCustomOpDomainSlot = 28;
    private const int GetTensorMutableDataSlot = 51;
    private const int GetDimensionsCountSlot = 61;
    private const int GetDimensionsSlot = 62;
    private const int GetTensorTypeAndShapeSlot = 65;
    private const int KernelInfoGetAttributeFloatSlot = 85;
    private const int KernelInfoGetAttributeInt64Slot = 86;
    private const int KernelContextGetInputSlot = 90;
    private const int KernelContextGetOutputSlot = 91;
    private const int ReleaseStatusSlot = 93;
    private const int ReleaseTensorTypeAndShapeInfoSlot = 99;
    private const int KernelContextParallelForSlot = 274;

    private static readonly nint* Table = Load();

    [DllImport("onnxruntime", CallingConvention = CallingConvention.Cdecl)]
    private static extern nint OrtGetApiBase();

    private static nint* Load()
    {
        // OrtApiBase is { GetApi(version), GetVersionString() }.
        var apiBase = (nint*)OrtGetApiBase();
        var getApi = (delegate* unmanaged[Cdecl]<uint, nint*>)apiBase[0];
        var table = getApi(RequiredApiVersion);
        if (table is null)
        {
            throw new InvalidOperationException($"The loaded ONNX Runtime does not offer C API version {RequiredApiVersion}.");
        }

        return table;
    }

    public static nint CreateStatus(string message)
    {
        fixed (byte* text = Utf8(message))
        {
            // ORT_RUNTIME_EXCEPTION; the status copies the message.
            return ((delegate* unmanaged[Cdecl]<int, byte*, nint>)Table[CreateStatusSlot])(6, text);
        }
    }

    public static nint CreateCustomOpDomain(string name)
    {
        nint domain;
        fixed (byte* text = Utf8(name))
        {
            Check(((delegate* unmanaged[Cdecl]<byte*, nint*, nint>)Table[CreateCustomOpDomainSlot])(text, &domain));
        }

        return domain;
    }

    public static void AddToDomain(nint domain, nint customOp) =>
        Check(((delegate* unmanaged[Cdecl]<nint, nint, nint>)Table[CustomOpDomainAddSlot])(domain, customOp));

    public static void AddDomain(nint sessionOptions, nint domain) =>
        Check(((delegate* unmanaged[Cdecl]<nint, nint, nint>)Table[AddCustomOpDomainSlot])(sessionOptions, domain));

    public static long AttributeInt64(nint kernelInfo, string name)
    {
        long value;
        fixed (byte* text = Utf8(name))
        {
            Check(((delegate* unmanaged[Cdecl]<nint, byte*, long*, nint>)Table[KernelInfoGetAttributeInt64Slot])(kernelInfo, text, &value));
        }

        return value;
    }

    /// <summary>An optional int attribute: <paramref name="fallback"/> where the node does not set it.</summary>
    public static long AttributeInt64OrDefault(nint kernelInfo, string name, long fallback)
    {
        long value;
        fixed (byte* text = Utf8(name))
        {
            return Succeeded(((delegate* unmanaged[Cdecl]<nint, byte*, long*, nint>)Table[KernelInfoGetAttributeInt64Slot])(kernelInfo, text, &value))
                ? value
                : fallback;
        }
    }

    /// <summary>An optional float attribute: <paramref name="fallback"/> where the node does not set it.</summary>
    public static float AttributeFloatOrDefault(nint kernelInfo, string name, float fallback)
    {
        float value;
        fixed (byte* text = Utf8(name))
        {
            return Succeeded(((delegate* unmanaged[Cdecl]<nint, byte*, float*, nint>)Table[KernelInfoGetAttributeFloatSlot])(kernelInfo, text, &value))
                ? value
                : fallback;
        }
    }

    public static float AttributeFloat(nint kernelInfo, string name)
    {
        float value;
        fixed (byte* text = Utf8(name))
        {
            Check(((delegate* unmanaged[Cdecl]<nint, byte*, float*, nint>)Table[KernelInfoGetAttributeFloatSlot])(kernelInfo, text, &value));
        }

        return value;
    }

    public static nint Input(nint context, int index)
    {
        nint value;
        Check(((delegate* unmanaged[Cdecl]<nint, nuint, nint*, nint>)Table[KernelContextGetInputSlot])(context, (nuint)index, &value));
        return value;
    }

    public static nint Output(nint context, int index, ReadOnlySpan<long> shape)
    {
        nint value;
        fixed (long* dims = shape)
        {
            Check(((delegate* unmanaged[Cdecl]<nint, nuint, long*, nuint, nint*, nint>)Table[KernelContextGetOutputSlot])(
                context, (nuint)index, dims, (nuint)shape.Length, &value));
        }

        return value;
    }

    public static void* Data(nint value)
    {
        void* data;
        Check(((delegate* unmanaged[Cdecl]<nint, void**, nint>)Table[GetTensorMutableDataSlot])(value, &data));
        return data;
    }

    public static long[] Shape(nint value)
    {
        nint info;
        Check(((delegate* unmanaged[Cdecl]<nint, nint*, nint>)Table[GetTensorTypeAndShapeSlot])(value, &info));
        try
        {
            nuint count;
            Check(((delegate* unmanaged[Cdecl]<nint, nuint*, nint>)Table[GetDimensionsCountSlot])(info, &count));
            var shape = new long[(int)count];
            fixed (long* dims = shape)
            {
                Check(((delegate* unmanaged[Cdecl]<nint, long*, nuint, nint>)Table[GetDimensionsSlot])(info, dims, count));
            }

            return shape;
        }
        finally
        {
            ((delegate* unmanaged[Cdecl]<nint, void>)Table[ReleaseTensorTypeAndShapeInfoSlot])(info);
        }
    }

    /// <summary>Runs <paramref name="work"/>(state, i) for i below <paramref name="total"/> on the session's intra-op threads.</summary>
    public static void ParallelFor(nint context, delegate* unmanaged[Cdecl]<void*, nuint, void> work, int total, void* state) =>
        Check(((delegate* unmanaged[Cdecl]<nint, delegate* unmanaged[Cdecl]<void*, nuint, void>, nuint, nuint, void*, nint>)Table[KernelContextParallelForSlot])(
            context, work, (nuint)total, 0, state));

    /// <summary>A NUL-terminated UTF-8 copy, as the C API takes strings.</summary>
    private static byte[] Utf8(string text) => System.Text.Encoding.UTF8.GetBytes(text + '\0');

    /// <summary>Whether a call succeeded; a failure's status is released unread.</summary>
    private static bool Succeeded(nint status)
    {
        if (status == 0)
        {
            return true;
        }

        ((delegate* unmanaged[Cdecl]<nint, void>)Table[ReleaseStatusSlot])(status);
        return false;
    }

    private static void Check(nint status)
    {
        if (status == 0)
        {
            return;
        }

        var message = Marshal.PtrToStringUTF8(((delegate* unmanaged[Cdecl]<nint, nint>)Table[GetErrorMessageSlot])(status));
        ((delegate* unmanaged[Cdecl]<nint, void>)Table[ReleaseStatusSlot])(status);
        throw new InvalidOperationException($"ONNX Runtime: {message}");
    }
}

using Orleans;

namespace OrleansSlm.Tests.Support;

/// <summary>The failure <see cref="StorageFaults"/> injects, told apart from any real one by its type (which crosses silos).</summary>
[GenerateSerializer]
public sealed class InjectedStorageFaultException : Exception
{
    public InjectedStorageFaultException()
    {
    }

    public InjectedStorageFaultException(string message) : base(message)
    {
    }

    public InjectedStorageFaultException(string message, Exception innerException) : base(message, innerException)
    {
    }

    /// <summary>Whether <paramref name="error"/> is this fault or was caused by it.</summary>
    public static bool Caused(Exception? error)
    {
        for (var exception = error; exception is not null; exception = exception.InnerException)
        {
            if (exception is InjectedStorageFaultException)
            {
                return true;
            }
        }

        return false;
    }
}

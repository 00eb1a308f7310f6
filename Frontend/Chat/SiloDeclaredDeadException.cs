namespace OrleansSlm.Frontend.Chat;

/// <summary>A request's silo fell silent and the cluster's membership has declared it dead: the request may be sent elsewhere.</summary>
internal sealed class SiloDeclaredDeadException(SiloAddress silo)
    : TimeoutException($"Silo {silo} stopped answering and the cluster's membership has declared it dead.");

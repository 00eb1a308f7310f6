namespace OrleansSlm.GrainsInterfaces.Diagnostics;

[GenerateSerializer, Immutable]
public sealed record SiloDescription([property: Id(0)] string SiloAddress, [property: Id(1)] string Role);

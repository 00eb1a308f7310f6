namespace OrleansSlm.GrainsInterfaces.Users;

[GenerateSerializer, Immutable]
public sealed record UserIdPage([property: Id(0)] IReadOnlyList<long> Ids, [property: Id(1)] int Total);

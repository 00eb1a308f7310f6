namespace OrleansSlm.GrainsInterfaces.Users;

[GenerateSerializer, Immutable]
public sealed record UserWriteResult([property: Id(0)] UserWriteStatus Status, [property: Id(1)] UserProfile? Profile)
{
    public static UserWriteResult Done(UserProfile? profile) => new(UserWriteStatus.Done, profile);

    public static readonly UserWriteResult NotFound = new(UserWriteStatus.NotFound, null);

    public static readonly UserWriteResult EmailTaken = new(UserWriteStatus.EmailTaken, null);
}

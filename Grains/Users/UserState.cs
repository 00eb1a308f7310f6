using OrleansSlm.GrainsInterfaces.Users;

namespace OrleansSlm.Grains.Users;

[GenerateSerializer]
public sealed class UserState
{
    [Id(0)]
    public UserProfile? Profile { get; set; }
}

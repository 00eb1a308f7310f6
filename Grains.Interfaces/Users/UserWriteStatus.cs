namespace OrleansSlm.GrainsInterfaces.Users;

[GenerateSerializer]
public enum UserWriteStatus
{
    Done,
    NotFound,
    EmailTaken,
}

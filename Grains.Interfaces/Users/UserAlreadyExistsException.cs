namespace OrleansSlm.GrainsInterfaces.Users;

[GenerateSerializer]
public sealed class UserAlreadyExistsException : Exception
{
    public UserAlreadyExistsException()
    {
    }

    public UserAlreadyExistsException(string message) : base(message)
    {
    }

    public UserAlreadyExistsException(string message, Exception innerException) : base(message, innerException)
    {
    }

    public UserAlreadyExistsException(long id) : base($"A user with id {id} already exists.")
    {
    }
}

namespace OrleansSlm.Frontend.Users;

public sealed record CreateUserRequest(string? Name, string? Email);

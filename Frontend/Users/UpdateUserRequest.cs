namespace OrleansSlm.Frontend.Users;

public sealed record UpdateUserRequest(string? Name, string? Email);

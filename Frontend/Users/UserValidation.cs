using System.Net.Mail;

namespace OrleansSlm.Frontend.Users;

public static class UserValidation
{
    public const int MaxNameLength = 200;
    public const int MaxEmailLength = 254;

    /// <summary>The reason the name is unacceptable, or null.</summary>
    public static string? NameError(string name) => name.Trim().Length switch
    {
        0 => "name must not be empty.",
        > MaxNameLength => $"name must be at most {MaxNameLength} characters.",
        _ => null,
    };

    /// <summary>The reason the email is unacceptable, or null. Accepts plain addresses only, no display names.</summary>
    public static string? EmailError(string email)
    {
        var trimmed = email.Trim();
        if (trimmed.Length is 0 or > MaxEmailLength)
        {
            return $"email must be between 1 and {MaxEmailLength} characters.";
        }

        var valid = MailAddress.TryCreate(trimmed, out var address)
            && address.Address == trimmed
            && address.Host.Contains('.', StringComparison.Ordinal)
            && !address.Host.StartsWith('.')
            && !address.Host.EndsWith('.');
        return valid ? null : $"'{trimmed}' is not a valid email address.";
    }
}

namespace OrleansSlm.Grains.Users;

/// <summary>
/// A write of user <paramref name="Id"/> that the directory has started: a create (no <paramref name="IndexedEmail"/>),
/// an update that changes the email, or a delete. <paramref name="IndexedEmail"/> is the lower-cased email the index
/// holds for the user while the write runs; settling replaces it by whatever the user grain holds afterwards.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record PendingUserWrite([property: Id(0)] long Id, [property: Id(1)] string? IndexedEmail);

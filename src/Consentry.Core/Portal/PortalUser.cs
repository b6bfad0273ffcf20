using Consentry.Core.Tenancy;

namespace Consentry.Core.Portal;

/// <summary>A member of a client's team who signs in to the portal. The password is stored only as a PasswordHasher hash.</summary>
public sealed class PortalUser : IClientOwned
{
    public const int MaxEmail = 254;

    public Guid Id { get; set; }

    public Guid ClientId { get; set; }

    /// <summary>Lower-cased; unique across all clients (the sign-in form has no client field).</summary>
    public required string Email { get; set; }

    public required string PasswordHash { get; set; }

    /// <summary>An operator of this Consentry instance: may also create clients.</summary>
    public bool IsOperator { get; set; }

    public int FailedSignIns { get; set; }

    public DateTime? LockedUntil { get; set; }

    public DateTime Created { get; set; }

    public DateTime? LastSignIn { get; set; }
}

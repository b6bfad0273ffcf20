using System.ComponentModel.DataAnnotations;

namespace Consentry.Features.Portal;

/// <summary>The <c>Consentry:Portal</c> section (environment: <c>Consentry__Portal__…</c>).</summary>
public sealed class PortalOptions
{
    public const string Section = "Consentry:Portal";
    public const string DevelopmentEmail = "admin@consentry.local";
    public const string DevelopmentPassword = "consentry-admin";

    /// <summary>The first admin (an operator of this instance), ensured at start in the oldest client.</summary>
    [EmailAddress]
    [MaxLength(254)]
    public string? AdminEmail { get; set; }

    public string? AdminPassword { get; set; }

    /// <summary>Failed sign-ins in a row that lock an account.</summary>
    [Range(1, 100)]
    public int LockoutAttempts { get; set; } = 5;

    [Range(1, 24 * 60)]
    public int LockoutMinutes { get; set; } = 15;

    [Range(5, 7 * 24 * 60)]
    public int SessionMinutes { get; set; } = 8 * 60;

    public const int MinPasswordLength = 12;
}

using Consentry.Core.Tenancy;

namespace Consentry.Core.Consents;

/// <summary>What happened to a consent.</summary>
public enum ConsentAction
{
    Granted,
    Revoked,
    Expired,
}

/// <summary>Who did it: the customer (in Link, the SDK or the manage page), the app (through the API), or Consentry itself.</summary>
public enum ConsentActor
{
    Customer,
    App,
    System,
}

/// <summary>
/// One entry of the consent ledger: append-only. Rows are only ever inserted (the database refuses UPDATE and DELETE
/// with triggers, and nothing references them with a cascading key), so the ledger still proves what was agreed after
/// the connection or the company is gone. <see cref="ProductIdentifier"/> is null for a consent given without products:
/// then it covers every data type the platform offers, as shown.
/// </summary>
public sealed class ConsentRecord : IClientOwned
{
    public Guid Id { get; set; }

    public Guid ClientId { get; set; }

    public Guid CompanyId { get; set; }

    public Guid? ConnectionId { get; set; }

    public string? PlatformKey { get; set; }

    public string? ProductIdentifier { get; set; }

    public ConsentAction Action { get; set; }

    public List<string> DataTypes { get; set; } = [];

    /// <summary>The SHA-256 (hex) of the exact text shown; the text itself is in <see cref="ConsentText"/>.</summary>
    public string? TextHash { get; set; }

    /// <summary>The version of the client's consent wording when the text was shown.</summary>
    public int? TextVersion { get; set; }

    /// <summary>The language the customer read the text in ("en", "fr"…), when a text was shown.</summary>
    public string? Language { get; set; }

    public ConsentActor Actor { get; set; }

    /// <summary>Who exactly, when known: the API key id for the app, the portal user, nothing for a customer.</summary>
    public string? ActorId { get; set; }

    public string? IpAddress { get; set; }

    public string? UserAgent { get; set; }

    /// <summary>Why (for revocations and expiries), e.g. <c>product removed</c>, <c>connection deleted</c>.</summary>
    public string? Reason { get; set; }

    /// <summary>When the customer agreed (for grants: the moment they pressed the button, not the moment the platform answered).</summary>
    public DateTime At { get; set; }

    public DateTime Recorded { get; set; }
}

/// <summary>A consent text exactly as shown, stored once by its SHA-256 (append-only, like the ledger).</summary>
public sealed class ConsentText
{
    public required string Hash { get; set; }

    public Guid ClientId { get; set; }

    public required string Text { get; set; }

    public DateTime Created { get; set; }
}

/// <summary>The state of one consent of a connection (derived from the ledger, kept as a row so reads can be gated cheaply).</summary>
public enum ConsentStatus
{
    Active,
    Revoked,
    Expired,
}

/// <summary>
/// The current consent of a connection for one product (<see cref="ProductIdentifier"/> empty for a consent without
/// products). This row changes; the ledger (<see cref="ConsentRecord"/>) keeps the history.
/// </summary>
public sealed class ConnectionConsent : IClientOwned
{
    public Guid ConnectionId { get; set; }

    public required string ProductIdentifier { get; set; }

    public Guid ClientId { get; set; }

    public Guid CompanyId { get; set; }

    public ConsentStatus Status { get; set; }

    public List<string> DataTypes { get; set; } = [];

    public Guid LastRecordId { get; set; }

    public DateTime Updated { get; set; }

    public bool IsGeneral => ProductIdentifier.Length == 0;
}

/// <summary>
/// What the customer agreed to before signing in at the platform, carried by the OAuth flow until the connection is
/// linked: then it becomes ledger entries (a failed sign-in grants nothing).
/// </summary>
/// <remarks><paramref name="Language"/> is the language the text was shown in (null in captures made before it was recorded).</remarks>
public sealed record ConsentCapture(
    string TextHash, int TextVersion, IReadOnlyList<string> Products, DateTime At, string? IpAddress, string? UserAgent, string? Language = null);

using Consentry.Core.Connections;
using Consentry.Core.Consents;

namespace Consentry.Features.Consents;

/// <summary>Body of <c>PUT /products/{productIdentifier}</c>: creates or replaces the product.</summary>
public sealed record ProductRequest(string? Name, string? Description, List<string>? DataTypes);

public sealed record ProductResponse(string Identifier, string Name, string? Description, IReadOnlyList<string> DataTypes, DateTime Created, DateTime Updated);

/// <summary>One entry of the consent ledger, with the exact text shown when there was one.</summary>
public sealed record ConsentRecordResponse(
    Guid Id, Guid CompanyId, Guid? ConnectionId, string? PlatformKey, string? ProductIdentifier, ConsentAction Action,
    IReadOnlyList<string> DataTypes, string? TextHash, int? TextVersion, string? Text, ConsentActor Actor, string? ActorId,
    string? IpAddress, string? UserAgent, string? Reason, DateTime At, DateTime Recorded, string? Language);

/// <summary>A connection's consents now: each product's (or the general one), what revoking it would stop, and what is still to be asked.</summary>
public sealed record ConnectionConsentsResponse(
    Guid ConnectionId, string PlatformKey, string PlatformName, ConnectionStatus Status, DateTime? ConsentExpiresAt,
    IReadOnlyList<ConsentStateResponse> Consents, IReadOnlyList<PendingConsentResponse> Pending);

public sealed record ConsentStateResponse(
    string? ProductIdentifier, ConsentStatus Status, IReadOnlyList<string> DataTypes, DateTime Updated, IReadOnlyList<string> StopsIfRevoked);

/// <summary>A product of the company this Linked connection could serve, awaiting the customer's additional consent.</summary>
public sealed record PendingConsentResponse(string ProductIdentifier, IReadOnlyList<string> DataTypes);

/// <summary>What a change would affect, shown before the customer or the app confirms it.</summary>
public sealed record ImpactResponse(string Action, IReadOnlyList<string> Products, IReadOnlyList<string> DataTypesStopped, bool DataDeleted, bool RevokedAtPlatform);

internal static class ConsentMapping
{
    public static ProductResponse ToResponse(this Product p) => new(p.Identifier, p.Name, p.Description, p.DataTypes, p.Created, p.Updated);

    public static ConsentRecordResponse ToResponse(this ConsentRecord r, string? text) => new(
        r.Id, r.CompanyId, r.ConnectionId, r.PlatformKey, r.ProductIdentifier, r.Action, r.DataTypes, r.TextHash, r.TextVersion, text,
        r.Actor, r.ActorId, r.IpAddress, r.UserAgent, r.Reason, r.At, r.Recorded, r.Language);
}

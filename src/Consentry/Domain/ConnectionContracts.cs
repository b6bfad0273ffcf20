using System.Text.Json.Serialization;
using Consentry.Core.Connections;
using Consentry.Infrastructure.Http;

namespace Consentry.Domain;

/// <summary>
/// Codat's <c>Connection</c> (additionalProperties: false, so nothing else is ever added here). Codat calls the platform
/// key <c>integrationKey</c> here (and <c>platformKey</c> in requests); the wire name is pinned, the code says PlatformKey.
/// </summary>
public sealed record ConnectionResponse(
    Guid Id,
    Guid IntegrationId,
    [property: JsonPropertyName("integrationKey")] string PlatformKey,
    Guid SourceId,
    SourceType SourceType,
    string PlatformName,
    string LinkUrl,
    ConnectionStatus Status,
    DateTime? LastSync,
    DateTime Created,
    IReadOnlyList<ConnectionError>? DataConnectionErrors);

public sealed record CreateConnectionRequest(string? PlatformKey);

public sealed record UpdateConnectionStatusRequest(ConnectionStatus? Status);

internal static class ConnectionMapping
{
    public static ConnectionResponse ToResponse(this Connection c, PublicUrls urls) => new(
        c.Id, c.IntegrationId, c.PlatformKey, c.SourceId, c.SourceType, c.PlatformName,
        urls.ConnectionLink(c.CompanyId, c.Id), c.Status, c.LastSync, c.Created, c.Errors.Count == 0 ? null : c.Errors);
}

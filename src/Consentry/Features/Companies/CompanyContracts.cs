using Consentry.Core.Companies;
using Consentry.Features.Connections;
using Consentry.Infrastructure.Http;

namespace Consentry.Features.Companies;

/// <summary>Codat's <c>Company</c>. Optional fields that have no value are left out, never written as null.</summary>
public sealed record CompanyResponse(
    Guid Id,
    string Name,
    string? Description,
    string Redirect,
    DateTime? LastSync,
    DateTime Created,
    IReadOnlyDictionary<string, string>? Tags,
    IReadOnlyList<ConnectionResponse> DataConnections,
    IReadOnlyList<string>? Products = null);

/// <summary>Body of create (POST) and replace (PUT); on PATCH absent or null fields are left unchanged.</summary>
public sealed record CompanyRequest(string? Name, string? Description, Dictionary<string, string>? Tags);

internal static class CompanyMapping
{
    public static CompanyResponse ToResponse(this Company c, PublicUrls urls) => new(
        c.Id,
        c.Name,
        string.IsNullOrEmpty(c.Description) ? null : c.Description,
        urls.CompanyLink(c.Id),
        c.LastSync,
        c.Created,
        c.Tags.Count == 0 ? null : c.Tags.OrderBy(t => t.Key, StringComparer.Ordinal).ToDictionary(t => t.Key, t => t.Value),
        [.. c.Connections.OrderBy(x => x.Created).ThenBy(x => x.Id).Select(x => x.ToResponse(urls))],
        c.Products.Count == 0 ? null : [.. c.Products.Select(p => p.ProductIdentifier).Order(StringComparer.Ordinal)]);
}

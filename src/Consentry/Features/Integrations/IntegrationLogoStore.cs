using System.Security.Cryptography;
using Consentry.Core.Errors;
using Consentry.Core.Integrations;
using Consentry.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Consentry.Features.Integrations;

/// <summary>The operator's uploaded logos: validated on the way in, served in place of the drawn branding images.</summary>
public sealed class IntegrationLogoStore(ConsentryDbContext db, IntegrationCatalogue catalogue, TimeProvider time)
{
    public Task<IntegrationLogo?> FindAsync(string platformKey, string variant, CancellationToken ct) =>
        db.IntegrationLogos.AsNoTracking().FirstOrDefaultAsync(l => l.PlatformKey == platformKey && l.Variant == variant, ct);

    /// <summary>What has been uploaded, without the bytes.</summary>
    public async Task<IReadOnlyList<(string PlatformKey, string Variant, string ContentType, int Size, DateTime Updated)>> ListAsync(CancellationToken ct) =>
        (await db.IntegrationLogos.AsNoTracking().OrderBy(l => l.PlatformKey).ThenBy(l => l.Variant)
            .Select(l => new { l.PlatformKey, l.Variant, l.ContentType, l.Content.Length, l.Updated }).ToListAsync(ct))
        .Select(l => (l.PlatformKey, l.Variant, l.ContentType, l.Length, l.Updated)).ToList();

    public async Task<Error?> SaveAsync(string platformKey, string variant, byte[] content, CancellationToken ct)
    {
        if (Known(platformKey, variant) is { } unknown)
        {
            return unknown;
        }

        var (contentType, invalid) = LogoValidation.Check(content);
        if (invalid is not null)
        {
            return invalid;
        }

        var logo = await db.IntegrationLogos.FirstOrDefaultAsync(l => l.PlatformKey == platformKey && l.Variant == variant, ct);
        if (logo is null)
        {
            logo = new IntegrationLogo { PlatformKey = platformKey, Variant = variant, Content = content, ContentType = contentType!, ETag = "" };
            db.IntegrationLogos.Add(logo);
        }

        logo.Content = content;
        logo.ContentType = contentType!;
        logo.ETag = $"\"{Convert.ToHexStringLower(SHA256.HashData(content))[..32]}\"";
        logo.Updated = time.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
        return null;
    }

    public async Task<Error?> RemoveAsync(string platformKey, string variant, CancellationToken ct) =>
        Known(platformKey, variant) ?? (await db.IntegrationLogos.Where(l => l.PlatformKey == platformKey && l.Variant == variant).ExecuteDeleteAsync(ct) == 0
            ? Error.NotFound($"There is no uploaded {variant} for '{platformKey}'.")
            : null);

    private Error? Known(string platformKey, string variant) =>
        catalogue.Find(platformKey) is null ? IntegrationMessages.NotFound(platformKey)
        : !BrandingImages.Names.Contains(variant) ? Error.Validation($"The logo variant must be one of {string.Join(", ", BrandingImages.Names)}.")
        : null;
}

using System.Security.Cryptography;
using Consentry.Core.Errors;
using Consentry.Core.Integrations;
using Consentry.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace Consentry.Features.Integrations;

/// <summary>The operator's uploaded logos: validated on the way in, served in place of the drawn branding images.</summary>
public sealed class IntegrationLogoStore(ConsentryDbContext db, IntegrationCatalogue catalogue, TimeProvider time, IMemoryCache cache)
{
    /// <summary>
    /// How long an instance serves a logo (or its absence) without asking the database: every Link page loads these
    /// images, so they are held in memory; the instance that saves or removes one forgets it at once, others within this
    /// time (browsers may keep an image for 300 s anyway). Bounded: only catalogue keys × the four image names get here.
    /// </summary>
    public static readonly TimeSpan CacheTime = TimeSpan.FromSeconds(30);

    public Task<IntegrationLogo?> FindAsync(string platformKey, string variant, CancellationToken ct) =>
        cache.GetOrCreateAsync(CacheKey(platformKey, variant), entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = CacheTime;
            return db.IntegrationLogos.AsNoTracking().FirstOrDefaultAsync(l => l.PlatformKey == platformKey && l.Variant == variant, ct);
        });

    private static string CacheKey(string platformKey, string variant) => $"logo:{platformKey}:{variant}";

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
        cache.Remove(CacheKey(platformKey, variant));
        return null;
    }

    public async Task<Error?> RemoveAsync(string platformKey, string variant, CancellationToken ct)
    {
        if (Known(platformKey, variant) is { } unknown)
        {
            return unknown;
        }

        var removed = await db.IntegrationLogos.Where(l => l.PlatformKey == platformKey && l.Variant == variant).ExecuteDeleteAsync(ct);
        cache.Remove(CacheKey(platformKey, variant));
        return removed == 0 ? Error.NotFound($"There is no uploaded {variant} for '{platformKey}'.") : null;
    }

    private Error? Known(string platformKey, string variant) =>
        catalogue.Find(platformKey) is null ? IntegrationMessages.NotFound(platformKey)
        : !BrandingImages.Names.Contains(variant) ? Error.Validation($"The logo variant must be one of {string.Join(", ", BrandingImages.Names)}.")
        : null;
}

using Consentry.Core.Connections;
using Consentry.Core.Integrations;
using Consentry.Core.Link;
using Consentry.Core.Persistence;
using Consentry.Features.Integrations;
using Microsoft.EntityFrameworkCore;

namespace Consentry.Features.Link.Embedded;

/// <summary>The embedded journey's state: the client's categories and texts, the integrations offered, what is already done.</summary>
public sealed class SdkJourneyReader(ConsentryDbContext db, IntegrationCatalogue catalogue)
{
    private static readonly (string Key, string Title, SourceType Type)[] Order =
        [("accounting", "Accounting", SourceType.Accounting), ("banking", "Banking", SourceType.Banking), ("commerce", "Commerce", SourceType.Commerce)];

    public async Task<SdkJourneyView> ReadAsync(LinkContext link, CancellationToken ct)
    {
        var companyId = link.Company.Id;
        var settings = await db.IntegrationSettings.AsNoTracking().ToDictionaryAsync(s => s.PlatformKey, ct);
        var linked = await db.Connections.AsNoTracking().Where(c => c.CompanyId == companyId && c.Status == ConnectionStatus.Linked).ToListAsync(ct);
        var uploads = await db.UploadedFiles.AsNoTracking().Where(f => f.CompanyId == companyId).GroupBy(f => f.Category)
            .Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        var skipped = await db.JourneyEvents.AsNoTracking().Where(e => e.CompanyId == companyId && e.Step == JourneyStep.CategorySkipped)
            .Select(e => e.Detail).Distinct().ToListAsync(ct);

        var s = link.Settings;
        var categories = Order.Select(c => (c.Key, c.Title, c.Type, Settings: s.For(c.Type)!))
            .Select(c => new SdkCategory(c.Key, c.Title, c.Type, c.Settings.Enabled, c.Settings.Optional, c.Settings.FileUpload,
                c.Settings.FileUploadDescription,
                [.. catalogue.All.Where(i => i.SourceType == c.Type && i.IsEnabledFor(settings.GetValueOrDefault(i.PlatformKey)))
                    .Select(i => new SdkIntegration(i.PlatformKey, i.Name, i.SourceType, BrandingImages.PathOf(i.PlatformKey, "logo-square"), i.IsSandbox,
                        [.. i.DataTypes.Select(d => d.DataType)]))],
                linked.Where(l => l.SourceType == c.Type).MaxBy(l => l.Created) is { } l ? SdkConnectionArgs.Of(l) : null,
                uploads.GetValueOrDefault(c.Key),
                skipped.Contains(c.Key)))
            .ToList();

        var t = s.Texts;
        return new SdkJourneyView(companyId, link.Company.Name, s.CompanyName ?? link.Client.Name, s.LogoUrl, s.PrimaryColor, s.ShowLandingPage,
            s.ShowSandboxIntegrations, s.ShowBadge,
            new SdkTexts(t.LandingTitle, t.LandingSubtitle, t.ConsentPurpose, t.ConsentAccess, t.ConsentRetention, t.TermsAndConditions, t.TermsAndConditionsUrl),
            categories);
    }
}

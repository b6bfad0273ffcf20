using Consentry.Core.Persistence;
using Consentry.Features.Portal;
using Consentry.Features.Settings;
using Consentry.Infrastructure.Tenancy;
using Microsoft.AspNetCore.Mvc;

namespace Consentry.Pages.Portal.Settings;

/// <summary>Settings › Branding: the name, logo, primary colour and support page of the Link pages.</summary>
public sealed class BrandingModel(ConsentryDbContext db, CurrentClient client) : PortalPageModel
{
    [BindProperty]
    public string? CompanyName { get; set; }

    [BindProperty]
    public string? LogoUrl { get; set; }

    [BindProperty]
    public string PrimaryColor { get; set; } = "";

    /// <summary>Linked from the result page when a connection fails.</summary>
    [BindProperty]
    public string? SupportUrl { get; set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        var settings = await ManageLinkSettings.GetAsync(db, client, ct);
        (CompanyName, LogoUrl, PrimaryColor, SupportUrl) = (settings.CompanyName, settings.LogoUrl, settings.PrimaryColor, settings.SupportUrl);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var settings = await ManageLinkSettings.GetAsync(db, client, ct);
        settings.CompanyName = string.IsNullOrWhiteSpace(CompanyName) ? null : CompanyName.Trim();
        settings.LogoUrl = string.IsNullOrWhiteSpace(LogoUrl) ? null : LogoUrl.Trim();
        settings.PrimaryColor = PrimaryColor?.Trim() ?? "";
        settings.SupportUrl = string.IsNullOrWhiteSpace(SupportUrl) ? null : SupportUrl.Trim();
        var saved = await ManageLinkSettings.SaveAsync(settings, db, client, ct);
        return await OutcomeAsync(saved.Error, "Branding saved.");
    }
}

using Consentry.Core.Link;
using Consentry.Core.Persistence;
using Consentry.Features.Portal;
using Consentry.Features.Settings;
using Consentry.Infrastructure.Tenancy;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Consentry.Pages.Portal.Settings;

/// <summary>Settings › Auth flow › Link: categories, optional ones, file upload, texts, landing page and badge.</summary>
public sealed class LinkModel(ConsentryDbContext db, CurrentClient client) : PortalPageModel
{
    [BindProperty]
    public LinkSettings Input { get; set; } = new();

    /// <summary>The name the Link pages use for the app (the branding's company name, else the client's name).</summary>
    public string Brand { get; private set; } = "";

    public async Task OnGetAsync(CancellationToken ct)
    {
        Input = await ManageLinkSettings.GetAsync(db, client, ct);
        await LoadBrandAsync(Input, ct);
    }

    private async Task LoadBrandAsync(LinkSettings settings, CancellationToken ct) =>
        Brand = settings.CompanyName ?? await db.Clients.Where(c => c.Id == client.Id).Select(c => c.Name).FirstAsync(ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        // Only this page's fields change; branding (name, logo, colour) is kept as it is.
        var settings = await ManageLinkSettings.GetAsync(db, client, ct);
        settings.Categories = Input.Categories;
        settings.Texts = Input.Texts;
        settings.ShowLandingPage = Input.ShowLandingPage;
        settings.ShowSandboxIntegrations = Input.ShowSandboxIntegrations;
        settings.ShowBadge = Input.ShowBadge;
        var saved = await ManageLinkSettings.SaveAsync(settings, db, client, ct);
        return await OutcomeAsync(saved.Error, "Link settings saved.", () => LoadBrandAsync(settings, ct));
    }
}

using Consentry.Core.Persistence;
using Consentry.Domain;
using Consentry.Features.Portal;
using Consentry.Features.Settings;
using Consentry.Infrastructure.Tenancy;
using Microsoft.AspNetCore.Mvc;

namespace Consentry.Pages.Portal.Settings;

/// <summary>Settings › Redirects: Codat's profile redirect template and allow-list (the same rules as PUT /profile).</summary>
public sealed class RedirectsModel(ConsentryDbContext db, CurrentClient client, IClientCache clients) : PortalPageModel
{
    [BindProperty]
    public string? RedirectUrl { get; set; }

    [BindProperty]
    public string? AllowList { get; set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        var profile = await ProfileSettings.GetAsync(clients, client, ct);
        RedirectUrl = profile.RedirectUrl;
        AllowList = string.Join('\n', profile.WhiteListUrls ?? []);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var profile = await ProfileSettings.GetAsync(clients, client, ct);
        var urls = (AllowList ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var saved = await ProfileSettings.SaveAsync(profile with { RedirectUrl = RedirectUrl ?? "", WhiteListUrls = urls }, db, client, ct);
        return await OutcomeAsync(saved.Error, "Redirect settings saved.");
    }
}

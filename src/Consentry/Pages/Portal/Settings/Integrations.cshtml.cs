using Consentry.Core.Integrations;
using Consentry.Core.Persistence;
using Consentry.Core.Security;
using Consentry.Features.Integrations;
using Consentry.Features.Portal;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Consentry.Pages.Portal.Settings;

public sealed record IntegrationRow(IntegrationDefinition Definition, bool Enabled, string? ClientId, bool HasSecret);

/// <summary>Settings › Integrations: on or off, and OAuth credentials for real platforms (through PUT /integrations/{key}/settings's rules).</summary>
public sealed class IntegrationsModel(ConsentryDbContext db, IntegrationCatalogue catalogue, SecretProtector secrets, TimeProvider time) : PortalPageModel
{
    public IReadOnlyList<IntegrationRow> Rows { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostSaveAsync(string platformKey, bool enabled, string? clientId, string? clientSecret, CancellationToken ct)
    {
        var request = new IntegrationSettingsRequest(enabled, clientId, string.IsNullOrEmpty(clientSecret) ? null : clientSecret);
        var saved = await ManageIntegrationSettings.SaveAsync(platformKey, request, db, catalogue, secrets, time, ct);
        db.ChangeTracker.Clear();
        return await OutcomeAsync(saved.Error, $"{catalogue.Find(platformKey)?.Name ?? platformKey} saved.", () => LoadAsync(ct));
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var settings = await db.IntegrationSettings.AsNoTracking().ToDictionaryAsync(s => s.PlatformKey, ct);
        Rows = [.. catalogue.All.Select(i =>
        {
            var s = settings.GetValueOrDefault(i.PlatformKey);
            return new IntegrationRow(i, i.IsEnabledFor(s), s?.OAuthClientId, s?.ProtectedClientSecret is not null);
        })];
    }
}

using Consentry.Core.Errors;
using Consentry.Core.Persistence;
using Consentry.Core.Security;
using Consentry.Domain;
using Consentry.Features.Portal;
using Consentry.Features.Webhooks;
using Consentry.Features.Webhooks.Delivery;
using Consentry.Infrastructure.Tenancy;
using Microsoft.AspNetCore.Mvc;

namespace Consentry.Pages.Portal.Settings;

/// <summary>Settings › Webhooks: consumers (the /webhooks rules: URL checks, limits), their signing secrets and rotation.</summary>
public sealed class WebhooksModel(
    ConsentryDbContext db, NetworkGuard guard, SecretProtector secrets, TimeProvider time, CurrentClient client, IClientCache clients) : PortalPageModel
{
    public IReadOnlyList<WebhookConsumerResponse> Consumers { get; private set; } = [];

    public string? Secret { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => Consumers = await ManageWebhookConsumers.ListAsync(db, ct);

    public async Task<IActionResult> OnPostCreateAsync(string? url, string? eventTypes, string? companyTags, CancellationToken ct)
    {
        var created = await ManageWebhookConsumers.CreateAsync(
            new WebhookConsumerRequest(url, false, Split(eventTypes), Split(companyTags)), db, guard, secrets, time, ct);
        return await OutcomeAsync(created.Error, "Webhook consumer created.", () => OnGetAsync(ct));
    }

    public async Task<IActionResult> OnPostDeleteAsync(Guid id, CancellationToken ct) =>
        await OutcomeAsync(await ManageWebhookConsumers.DeleteAsync(id, db, client, clients, ct), "Webhook consumer deleted.", () => OnGetAsync(ct));

    public async Task<IActionResult> OnPostSecretAsync(Guid id, CancellationToken ct) =>
        await ShowAsync(await ManageWebhookSecrets.GetAsync(id, db, secrets, ct), ct);

    public async Task<IActionResult> OnPostRotateAsync(Guid id, CancellationToken ct) =>
        await ShowAsync(await ManageWebhookSecrets.RotateAsync(id, db, secrets, time, ct), ct);

    /// <summary>A secret appears on this response only (a POST, so it is never in a URL, a cache or TempData).</summary>
    private async Task<IActionResult> ShowAsync(Result<string> secret, CancellationToken ct)
    {
        if (secret.IsSuccess)
        {
            Secret = secret.Value;
        }
        else
        {
            Error = secret.Error!.Message;
        }

        await OnGetAsync(ct);
        return Page();
    }

    private static List<string> Split(string? value) =>
        [.. (value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
}

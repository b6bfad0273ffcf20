using Consentry.Core.Persistence;
using Consentry.Core.Security;
using Consentry.Domain;
using Consentry.Features.Portal;
using Consentry.Features.Webhooks;
using Consentry.Features.Webhooks.Delivery;
using Consentry.Infrastructure.Tenancy;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Consentry.Pages.Portal.Settings;

/// <summary>Settings › Webhooks: consumers (the /webhooks rules: URL checks, limits), their signing secrets and rotation.</summary>
public sealed class WebhooksModel(
    ConsentryDbContext db, NetworkGuard guard, SecretProtector secrets, TimeProvider time, CurrentClient client, IClientCache clients) : PortalPageModel
{
    public IReadOnlyList<WebhookConsumerResponse> Consumers { get; private set; } = [];

    public string? Secret { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => Consumers = (await WebhookConsumerEndpoints.List(db, ct)).Value!.Results;

    public async Task<IActionResult> OnPostCreateAsync(string? url, string? eventTypes, string? companyTags, CancellationToken ct)
    {
        var result = await WebhookConsumerEndpoints.Create(new WebhookConsumerRequest(url, false, Split(eventTypes), Split(companyTags)), db, guard, secrets, time, ct);
        return await OutcomeAsync(result.Result, "Webhook consumer created.", () => OnGetAsync(ct));
    }

    public async Task<IActionResult> OnPostDeleteAsync(Guid id, CancellationToken ct) =>
        await OutcomeAsync((await WebhookConsumerEndpoints.Delete(id, db, client, clients, ct)).Result, "Webhook consumer deleted.", () => OnGetAsync(ct));

    public async Task<IActionResult> OnPostSecretAsync(Guid id, CancellationToken ct) =>
        await ShowAsync((await WebhookSecretEndpoints.Get(id, db, secrets, time, ct)).Result, ct);

    public async Task<IActionResult> OnPostRotateAsync(Guid id, CancellationToken ct) =>
        await ShowAsync((await WebhookSecretEndpoints.Rotate(id, db, secrets, time, ct)).Result, ct);

    /// <summary>A secret appears on this response only (a POST, so it is never in a URL, a cache or TempData).</summary>
    private async Task<IActionResult> ShowAsync(IResult result, CancellationToken ct)
    {
        if (result is Ok<WebhookSecretResponse> ok)
        {
            Secret = ok.Value!.Key;
        }
        else
        {
            Error = Failure(result)?.Message;
        }

        await OnGetAsync(ct);
        return Page();
    }

    private static List<string> Split(string? value) =>
        [.. (value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
}

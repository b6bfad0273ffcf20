using System.Globalization;
using Consentry.Core.Persistence;
using Consentry.Features.Portal;
using Consentry.Features.Webhooks;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Consentry.Pages.Portal.Monitor;

/// <summary>Monitor › Webhooks: each consumer's latest attempts, and recovering what failed (the rules of POST /webhooks/{id}/recover, <see cref="RecoverDeliveries"/>).</summary>
public sealed class WebhooksModel(ConsentryDbContext db, TimeProvider time) : PortalPageModel
{
    private const int Latest = 25;

    public IReadOnlyList<WebhookConsumerResponse> Consumers { get; private set; } = [];

    public Dictionary<Guid, List<WebhookAttemptResponse>> Attempts { get; private set; } = [];

    public string DefaultSince => time.GetUtcNow().UtcDateTime.AddDays(-1).ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture);

    public async Task OnGetAsync(CancellationToken ct)
    {
        Consumers = await ManageWebhookConsumers.ListAsync(db, ct);
        foreach (var consumer in Consumers)
        {
            Attempts[consumer.Id] = await db.WebhookAttempts.AsNoTracking().Where(a => a.ConsumerId == consumer.Id)
                .OrderByDescending(a => a.AttemptedAt).ThenByDescending(a => a.Id).Take(Latest)
                .Select(a => new WebhookAttemptResponse(a.Id, a.AttemptedAt, a.EventId, a.EventType, "", a.StatusCode, a.DurationMs, a.Succeeded, a.Error))
                .ToListAsync(ct);
        }
    }

    public async Task<IActionResult> OnPostRecoverAsync(Guid id, DateTime? since, CancellationToken ct)
    {
        var utc = since is { } s ? DateTime.SpecifyKind(s, DateTimeKind.Utc) : (DateTime?)null;
        var recovered = await RecoverDeliveries.RecoverAsync(id, utc, db, time, ct);
        return await OutcomeAsync(recovered.Error, $"{recovered.Value} failed deliveries queued again.", () => OnGetAsync(ct));
    }
}

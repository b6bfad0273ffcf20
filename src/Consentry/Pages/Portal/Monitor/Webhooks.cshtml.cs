using System.Globalization;
using Consentry.Core.Persistence;
using Consentry.Features.Portal;
using Consentry.Features.Webhooks;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Consentry.Pages.Portal.Monitor;

/// <summary>Monitor › Webhooks: each consumer's latest attempts, and recovering what failed (POST /webhooks/{id}/recover).</summary>
public sealed class WebhooksModel(ConsentryDbContext db, TimeProvider time) : PortalPageModel
{
    private const int Latest = 25;

    public IReadOnlyList<WebhookConsumerResponse> Consumers { get; private set; } = [];

    public Dictionary<Guid, List<WebhookAttemptResponse>> Attempts { get; private set; } = [];

    public string DefaultSince => time.GetUtcNow().UtcDateTime.AddDays(-1).ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture);

    public async Task OnGetAsync(CancellationToken ct)
    {
        Consumers = (await WebhookConsumerEndpoints.List(db, ct)).Value!.Results;
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
        var result = await WebhookAttemptEndpoints.Recover(id, new RecoverRequest(utc), db, time, ct);
        var recovered = result.Result is Accepted<RecoverResponse> accepted ? accepted.Value!.Recovered : 0;
        return await OutcomeAsync(result.Result, $"{recovered} failed deliveries queued again.", () => OnGetAsync(ct));
    }
}

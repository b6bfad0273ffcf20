using Consentry.Core.Errors;
using Consentry.Core.Persistence;
using Consentry.Core.Security;
using Consentry.Core.Webhooks;
using Consentry.Domain;
using Consentry.Features.Webhooks.Delivery;
using Consentry.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace Consentry.Features.Webhooks;

/// <summary>
/// A client's webhook consumers: list, create (URL checks, limits, a first signing secret), delete. Each answers a value
/// or why not; <see cref="WebhookConsumerEndpoints"/> (<c>/webhooks</c>) and the portal's Webhooks pages adapt it.
/// </summary>
internal static class ManageWebhookConsumers
{
    public static async Task<IReadOnlyList<WebhookConsumerResponse>> ListAsync(ConsentryDbContext db, CancellationToken ct)
    {
        var consumers = await db.WebhookConsumers.AsNoTracking().OrderBy(c => c.Created).ThenBy(c => c.Id).ToListAsync(ct);
        return [.. consumers.Select(WebhookConsumerResponse.From)];
    }

    public static async Task<Result<WebhookConsumerResponse>> CreateAsync(
        WebhookConsumerRequest? body, ConsentryDbContext db, NetworkGuard guard, SecretProtector secrets, TimeProvider time, CancellationToken ct)
    {
        if (body is null)
        {
            return Error.Validation("A JSON body is required: {url, eventTypes, companyTags, disabled}.");
        }

        var errors = Validate(body);
        if (errors.Count == 0 && guard.CheckUrl(body.Url!.Trim()) is { } unsafeUrl)
        {
            errors.Add(unsafeUrl);
        }

        if (errors.Count > 0)
        {
            return Error.Validation(string.Join(" ", errors), errors);
        }

        if (await db.WebhookConsumers.CountAsync(ct) >= WebhookConsumer.MaxPerClient)
        {
            return Error.Validation($"A client can have at most {WebhookConsumer.MaxPerClient} webhook consumers.");
        }

        var now = time.GetUtcNow().UtcDateTime;
        var consumer = new WebhookConsumer
        {
            Id = Guid.CreateVersion7(),
            Url = body.Url!.Trim(),
            EventTypes = [.. (body.EventTypes ?? []).Select(WebhookEventTypes.Canonical).Distinct(StringComparer.Ordinal)],
            CompanyTags = [.. (body.CompanyTags ?? []).Distinct(StringComparer.Ordinal)],
            Disabled = body.Disabled ?? false,
            Created = now,
        };
        consumer.Secrets.Add(new WebhookSecret { Id = Guid.CreateVersion7(), ProtectedKey = secrets.Protect(WebhookSigning.NewSecret()), Created = now });
        db.WebhookConsumers.Add(consumer);
        await db.SaveChangesAsync(ct);
        return WebhookConsumerResponse.From(consumer);
    }

    /// <summary>Deletes the consumer; null when done, else why not.</summary>
    public static async Task<Error?> DeleteAsync(Guid webhookId, ConsentryDbContext db, CurrentClient current, IClientCache clients, CancellationToken ct)
    {
        // Its secrets, pending deliveries and attempts go with it (database cascade). A bulk delete passes by the change
        // tracker, so this instance's cache is told here.
        var deleted = await db.WebhookConsumers.Where(c => c.Id == webhookId).ExecuteDeleteAsync(ct);
        clients.Forget(current.Id);
        return deleted == 0 ? NotFound(webhookId) : null;
    }

    public static Error NotFound(Guid webhookId) => Error.NotFound($"No webhook consumer was found with ID {webhookId}.");

    private static List<string> Validate(WebhookConsumerRequest body)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(body.Url) || body.Url.Length > 2048)
        {
            errors.Add("url is required (an absolute http(s) URL of at most 2048 characters).");
        }

        errors.AddRange((body.EventTypes ?? []).Where(e => e is null || !WebhookEventTypes.IsKnown(WebhookEventTypes.Canonical(e)))
            .Select(e => e is not null && WebhookEventTypes.LegacyNeverEmitted.Contains(e)
                ? $"'{e}' is one of Codat's legacy event types that Consentry never emits. GET /webhooks/eventTypes lists those it does."
                : $"Unknown event type '{e}'. GET /webhooks/eventTypes lists them."));

        var tags = body.CompanyTags ?? [];
        if (tags.Count > WebhookConsumer.MaxCompanyTags)
        {
            errors.Add($"companyTags can hold at most {WebhookConsumer.MaxCompanyTags} entries.");
        }

        errors.AddRange(tags.Where(t => t is null || t.Length > WebhookConsumer.MaxCompanyTagLength || t.IndexOf(':', StringComparison.Ordinal) <= 0)
            .Select(t => $"companyTags entry '{t}' must look like key:value (at most {WebhookConsumer.MaxCompanyTagLength} characters)."));
        return errors;
    }
}

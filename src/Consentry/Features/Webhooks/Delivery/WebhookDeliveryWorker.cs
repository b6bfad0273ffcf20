using System.Collections.Concurrent;
using Consentry.Core.Persistence;
using Consentry.Core.Security;
using Consentry.Core.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Consentry.Features.Webhooks.Delivery;

/// <summary>
/// Delivers the outbox, on every instance: claims due deliveries with a lease, sends them in parallel, records each
/// attempt and schedules retries. A crash loses nothing: unclaimed rows wait, and claimed ones come back when their
/// lease runs out (at least once).
/// </summary>
public sealed class WebhookDeliveryWorker(
    IServiceScopeFactory scopes,
    WebhookSender sender,
    WebhookSignal signal,
    SecretProtector secrets,
    IOptionsMonitor<WebhookOptions> options,
    TimeProvider time,
    ILogger<WebhookDeliveryWorker> logger) : BackgroundService
{
    /// <summary>This process's name in leases and attempts: host, process id and a random suffix (at most 100 characters).</summary>
    public string InstanceId { get; } = Name($"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid().ToString("N")[..8]}");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.CurrentValue.RunWorker)
        {
            return;
        }

        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            int handled;
            try
            {
                handled = await RunOnceAsync(stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // A database hiccup must not stop delivery for good; try again after a pause.
                logger.LogError(e, "Webhook delivery pass failed; retrying.");
                handled = 0;
            }

            if (handled == 0)
            {
                await signal.WaitAsync(TimeSpan.FromMilliseconds(options.CurrentValue.PollMilliseconds), stoppingToken);
            }
        }
    }

    /// <summary>One pass: claim, send, record. Returns how many deliveries it handled.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var settings = options.CurrentValue;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ConsentryDbContext>();

        var ids = await DeliveryClaims.ClaimAsync(db, InstanceId, settings.BatchSize, time.GetUtcNow().UtcDateTime, TimeSpan.FromSeconds(settings.LeaseSeconds), ct);
        if (ids.Count == 0)
        {
            return 0;
        }

        // The worker serves every client, so it reads past the tenant filter on purpose.
        var deliveries = await db.WebhookDeliveries.IgnoreQueryFilters().Where(d => ids.Contains(d.Id)).ToListAsync(ct);
        var eventIds = deliveries.Select(d => d.EventId).Distinct().ToList();
        var consumerIds = deliveries.Select(d => d.ConsumerId).Distinct().ToList();
        var events = await db.WebhookEvents.IgnoreQueryFilters().AsNoTracking().Where(e => eventIds.Contains(e.Id)).ToDictionaryAsync(e => e.Id, ct);
        var consumers = await db.WebhookConsumers.IgnoreQueryFilters().Include(c => c.Secrets)
            .Where(c => consumerIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, ct);
        var now = time.GetUtcNow().UtcDateTime;
        var keys = consumers.Values.ToDictionary(c => c.Id, c => c.Secrets
            .Where(s => s.ExpiresAt is null || s.ExpiresAt > now).OrderByDescending(s => s.Created)
            .Select(s => secrets.Unprotect(s.ProtectedKey)).ToList());

        var outcomes = new ConcurrentDictionary<Guid, SendOutcome>();
        var sendable = deliveries.Where(d => consumers.TryGetValue(d.ConsumerId, out var c) && !c.Disabled && events.ContainsKey(d.EventId)).ToList();
        await Parallel.ForEachAsync(sendable, new ParallelOptions { MaxDegreeOfParallelism = settings.MaxConcurrency, CancellationToken = ct },
            async (delivery, token) =>
            {
                var message = events[delivery.EventId];
                outcomes[delivery.Id] = await sender.SendAsync(consumers[delivery.ConsumerId].Url, message.MessageId, message.Body, keys[delivery.ConsumerId], token);
            });

        var schedule = settings.ParsedSchedule();
        now = time.GetUtcNow().UtcDateTime;
        foreach (var delivery in deliveries)
        {
            delivery.LeaseOwner = null;
            delivery.LeaseExpiresAt = null;
            if (!outcomes.TryGetValue(delivery.Id, out var outcome))
            {
                // The consumer was disabled (its deliveries wait) or the event is gone (nothing to send).
                if (!events.ContainsKey(delivery.EventId))
                {
                    delivery.Status = DeliveryStatus.Cancelled;
                }

                continue;
            }

            var consumer = consumers[delivery.ConsumerId];
            delivery.AttemptCount++;
            db.WebhookAttempts.Add(new WebhookAttempt
            {
                Id = Guid.CreateVersion7(),
                ClientId = delivery.ClientId,
                ConsumerId = consumer.Id,
                DeliveryId = delivery.Id,
                EventId = delivery.EventId,
                EventType = events[delivery.EventId].EventType,
                AttemptedAt = now,
                StatusCode = outcome.StatusCode,
                DurationMs = outcome.DurationMs,
                Error = outcome.Error,
                Succeeded = outcome.Succeeded,
                Worker = InstanceId,
            });
            Apply(delivery, consumer, outcome, schedule, settings, now);
        }

        await db.SaveChangesAsync(ct);
        return deliveries.Count;
    }

    private static string Name(string text) => text.Length <= 100 ? text : text[^100..];

    private static void Apply(WebhookDelivery delivery, WebhookConsumer consumer, SendOutcome outcome, IReadOnlyList<TimeSpan> schedule, WebhookOptions settings, DateTime now)
    {
        if (outcome.Succeeded)
        {
            delivery.Status = DeliveryStatus.Succeeded;
            delivery.CompletedAt = now;
            consumer.FailingSince = null;
            return;
        }

        consumer.FailingSince ??= now;
        if (outcome.Gone || now - consumer.FailingSince >= TimeSpan.FromDays(settings.DisableAfterDays))
        {
            consumer.Disabled = true;
            consumer.DisabledAt = now;
            consumer.DisabledReason = outcome.Gone
                ? "The endpoint answered 410 Gone."
                : $"Every delivery failed for {settings.DisableAfterDays} days.";
        }

        if (outcome.Gone || delivery.AttemptCount >= schedule.Count)
        {
            delivery.Status = DeliveryStatus.Failed;
            delivery.CompletedAt = now;
            return;
        }

        var delay = schedule[delivery.AttemptCount];
        if (outcome.RetryAfter is { } asked && asked > delay)
        {
            delay = asked < TimeSpan.FromDays(1) ? asked : TimeSpan.FromDays(1);
        }

        delivery.NextAttemptAt = now + delay + TimeSpan.FromTicks((long)(delay.Ticks * settings.Jitter * Random.Shared.NextDouble()));
    }
}

using System.Threading.Channels;
using Consentry.Core.Persistence;
using Consentry.Core.Security;
using Consentry.Core.Webhooks;
using Microsoft.EntityFrameworkCore;
using Consentry.Infrastructure.Work;
using Microsoft.Extensions.Options;

namespace Consentry.Features.Webhooks.Delivery;

/// <summary>
/// Delivers the outbox, on every instance. A claim loop takes due deliveries with a lease whenever a sending slot is
/// free, so one slow endpoint holds one slot, not the instance; finished sends are recorded in batches (attempt rows,
/// delivery state, retry time). Each claim is a short lease under a token of its own, renewed by a heartbeat
/// (<see cref="LeaseKeeper"/>) until its attempt is recorded, so a slow endpoint keeps its delivery here while a dead
/// instance's deliveries are sent again elsewhere within one lease (at least once). A send whose lease is lost is
/// cancelled, and recording is fenced by the token, so a delivery is never being sent by two instances at once.
/// </summary>
public sealed class WebhookDeliveryWorker(
    IServiceScopeFactory scopes,
    WebhookSender sender,
    WebhookSignal signal,
    SecretProtector secrets,
    IOptionsMonitor<WebhookOptions> options,
    TimeProvider time,
    ILogger<WebhookDeliveryWorker> logger,
    Infrastructure.Observability.ConsentryMetrics metrics) : BackgroundService
{
    private readonly Channel<Finished> _finished = Channel.CreateUnbounded<Finished>(new UnboundedChannelOptions { SingleReader = true });
    private long _claims;
    private LeaseKeeper? _keeper;

    /// <summary>This process's name in attempts (and, with a claim number, in leases): host, process id and a random suffix (at most 80 characters).</summary>
    public string InstanceId { get; } = Name($"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid().ToString("N")[..8]}");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.CurrentValue;
        if (!settings.RunWorker)
        {
            return;
        }

        await Task.Yield();
        var keeper = _keeper = new LeaseKeeper(RenewAsync, time, TimeSpan.FromSeconds(settings.LeaseSeconds), logger);
        var heartbeat = keeper.RunAsync(stoppingToken);
        var recorder = RecordAsync();
        using var slots = new SemaphoreSlim(settings.MaxConcurrency, settings.MaxConcurrency);
        var sending = new List<Task>();
        // Claimed deliveries waiting for a sending slot, oldest due first. Claims are taken in batches of up to BatchSize
        // ahead of the slots (their leases are renewed by the heartbeat like those being sent), so a backlog costs one
        // claim per half batch instead of one per freed slot.
        var ready = new Queue<Claimed>();
        var lastClaimFull = false;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await slots.WaitAsync(stoppingToken);
                if (ready.Count == 0 || (lastClaimFull && ready.Count <= settings.BatchSize / 2))
                {
                    var wanted = settings.BatchSize - ready.Count;
                    List<Claimed> claimed;
                    try
                    {
                        claimed = await ClaimAsync(wanted, stoppingToken);
                    }
                    catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                    {
                        // A database hiccup must not stop delivery for good; try again after a pause.
                        logger.LogError(e, "Claiming webhook deliveries failed; retrying.");
                        claimed = [];
                    }

                    // A short claim means the due backlog is empty: claim again only once these are all under way.
                    lastClaimFull = claimed.Count == wanted;
                    foreach (var c in claimed)
                    {
                        ready.Enqueue(c);
                    }
                }

                if (ready.TryDequeue(out var next))
                {
                    sending.RemoveAll(t => t.IsCompleted);
                    sending.Add(SendAsync(next, slots, stoppingToken));
                    continue;
                }

                slots.Release();
                await signal.WaitAsync(TimeSpan.FromMilliseconds(settings.PollMilliseconds), stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: unsent claims return when their lease runs out.
        }
        finally
        {
            await Task.WhenAll(sending);
            _finished.Writer.TryComplete();
            await recorder;
            await heartbeat;
        }
    }

    /// <summary>The heartbeat's renewal of every delivery lease this instance holds: one statement.</summary>
    private async Task<IReadOnlyCollection<Guid>> RenewAsync(IReadOnlyCollection<(Guid Id, string Token)> held, DateTime until, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await LeaseRenewal.RenewAsync(scope.ServiceProvider.GetRequiredService<ConsentryDbContext>(), LeaseRenewal.WebhookDeliveries, held, until, ct);
    }

    private async Task SendAsync(Claimed claimed, SemaphoreSlim slots, CancellationToken ct)
    {
        // The scope (a dictionary and an async-local push per send) only where its entries are written: the Debug line below.
        var debug = logger.IsEnabled(LogLevel.Debug);
        using var logScope = debug ? logger.BeginScope(new Dictionary<string, object> { ["DeliveryId"] = claimed.DeliveryId, ["EventId"] = claimed.EventId }) : null;
        // The delivery continues the trace of whatever raised the event (a Link callback, a read).
        using var activity = Infrastructure.Observability.ConsentryTracing.StartContinuing("consentry.webhook.deliver", claimed.TraceParent, System.Diagnostics.ActivityKind.Producer);
        activity?.SetTag("consentry.webhook.event_type", claimed.EventType);
        activity?.SetTag("consentry.webhook.delivery_id", claimed.DeliveryId.ToString());
        try
        {
            var outcome = claimed.Url is null
                ? null
                : await sender.SendAsync(claimed.Url, claimed.MessageId, claimed.Body!, claimed.Keys, claimed.Lease);
            if (outcome is not null)
            {
                metrics.DeliveryAttempt(claimed.EventType, outcome.Succeeded, outcome.StatusCode, outcome.DurationMs);
                if (debug)
                {
                    // Never the URL: a consumer's URL may carry a credential in its query.
                    logger.LogDebug("Webhook delivery {DeliveryId} to consumer {ConsumerId}: {StatusCode} in {DurationMs} ms ({Error}).",
                        claimed.DeliveryId, claimed.ConsumerId, outcome.StatusCode, outcome.DurationMs, outcome.Error ?? "delivered");
                }
            }

            await _finished.Writer.WriteAsync(new Finished(claimed, outcome, time.GetUtcNow().UtcDateTime), CancellationToken.None);
        }
        catch (OperationCanceledException) when (claimed.Lease.IsCancellationRequested)
        {
            // Stopping mid-send, or the lease was lost: not recorded; the lease brings it back (or another instance has it).
            if (!ct.IsCancellationRequested)
            {
                logger.LogWarning("The send of delivery {DeliveryId} stopped here: its lease was lost.", claimed.DeliveryId);
            }

            _keeper!.Release(claimed.DeliveryId, claimed.Token);
        }
        finally
        {
            slots.Release();
        }
    }

    /// <summary>Claims up to <paramref name="limit"/> due deliveries and reads what sending them needs.</summary>
    private async Task<List<Claimed>> ClaimAsync(int limit, CancellationToken ct)
    {
        var settings = options.CurrentValue;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ConsentryDbContext>();
        var now = time.GetUtcNow().UtcDateTime;
        // A token per claim, so that a stale send of this same instance is fenced out like another instance's would be.
        var token = $"{InstanceId}#{Interlocked.Increment(ref _claims)}";
        var ids = await DeliveryClaims.ClaimAsync(db, token, limit, now, _keeper!.Lease, _keeper.HeldIds, ct);
        if (ids.Count == 0)
        {
            return [];
        }

        var leases = ids.ToDictionary(id => id, id => _keeper.Hold(id, token, now + _keeper.Lease, ct));

        // The worker serves every client, so it reads past the tenant filter on purpose.
        var deliveries = await db.WebhookDeliveries.IgnoreQueryFilters().AsNoTracking().Where(d => ids.Contains(d.Id)).ToListAsync(ct);
        var eventIds = deliveries.Select(d => d.EventId).Distinct().ToList();
        var consumerIds = deliveries.Select(d => d.ConsumerId).Distinct().ToList();
        var events = await db.WebhookEvents.IgnoreQueryFilters().AsNoTracking().Where(e => eventIds.Contains(e.Id)).ToDictionaryAsync(e => e.Id, ct);
        var consumers = await db.WebhookConsumers.IgnoreQueryFilters().AsNoTracking().Include(c => c.Secrets)
            .Where(c => consumerIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, ct);
        // Decrypted and decoded once per claim, and each event's body encoded to UTF-8 once, whatever the deliveries and attempts.
        var keys = consumers.Values.ToDictionary(c => c.Id, c => (IReadOnlyList<byte[]>)[.. c.Secrets
            .Where(s => s.ExpiresAt is null || s.ExpiresAt > now).OrderByDescending(s => s.Created)
            .Select(s => WebhookSigning.Key(secrets.Unprotect(s.ProtectedKey)))]);
        var bodies = events.Values.ToDictionary(e => e.Id, e => System.Text.Encoding.UTF8.GetBytes(e.Body));

        return [.. deliveries.Select(d =>
        {
            var message = events.GetValueOrDefault(d.EventId);
            var consumer = consumers.GetValueOrDefault(d.ConsumerId);
            var sendable = message is not null && consumer is { Disabled: false };
            return new Claimed(d.Id, d.ClientId, d.ConsumerId, d.EventId, message?.EventType ?? "", message?.MessageId ?? "",
                sendable ? consumer!.Url : null, message is null ? null : bodies[message.Id], sendable ? keys[consumer!.Id] : [], EventMissing: message is null, token, leases[d.Id],
                message?.TraceParent);
        })];
    }

    /// <summary>Writes finished sends in batches: one transaction per batch, however many deliveries finish together.</summary>
    private async Task RecordAsync()
    {
        var reader = _finished.Reader;
        while (await reader.WaitToReadAsync())
        {
            var batch = new List<Finished>();
            while (batch.Count < 500 && reader.TryRead(out var item))
            {
                batch.Add(item);
            }

            try
            {
                await SaveAsync(batch);
            }
            catch (Exception e)
            {
                // Not recorded means not finished: the leases run out and the deliveries are sent again (at least once).
                logger.LogError(e, "Recording {Count} webhook attempts failed; they will be retried when their leases expire.", batch.Count);
            }
            finally
            {
                foreach (var finished in batch)
                {
                    _keeper!.Release(finished.Claimed.DeliveryId, finished.Claimed.Token);
                }
            }
        }
    }

    private async Task SaveAsync(List<Finished> batch)
    {
        var settings = options.CurrentValue;
        var schedule = settings.ParsedSchedule();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ConsentryDbContext>();
        // A consumer whose every finished send in this batch succeeded (the common case) is recorded set-based, without
        // change tracking (SucceededDeliveries); a consumer with any other outcome takes the tracked path below, which
        // applies its outcomes in order (its FailingSince, disabling). A consumer's state depends on its own sends only.
        var troubled = batch.Where(f => f.Outcome is not { Succeeded: true }).Select(f => f.Claimed.ConsumerId).ToHashSet();
        var succeeded = batch.Where(f => !troubled.Contains(f.Claimed.ConsumerId)).Select(f => new SucceededSend(
            f.Claimed.DeliveryId, f.Claimed.Token, f.Claimed.ClientId, f.Claimed.ConsumerId, f.Claimed.EventId, f.Claimed.EventType,
            f.At, f.Outcome!.StatusCode, f.Outcome.DurationMs)).ToList();
        batch = [.. batch.Where(f => troubled.Contains(f.Claimed.ConsumerId))];
        await using var transaction = await db.Database.BeginTransactionAsync();
        await SucceededDeliveries.RecordAsync(db, succeeded, InstanceId, CancellationToken.None);
        if (batch.Count == 0)
        {
            await transaction.CommitAsync();
            return;
        }

        var ids = batch.Select(f => f.Claimed.DeliveryId).ToList();
        var consumerIds = batch.Select(f => f.Claimed.ConsumerId).Distinct().ToList();
        // The fence: a no-op write takes the rows' locks first (PostgreSQL's row locks, SQLite's one writer), so between
        // the owner check below and the commit no other instance can claim a delivery whose lease just ran out.
        await db.WebhookDeliveries.IgnoreQueryFilters().Where(d => ids.Contains(d.Id)).ExecuteUpdateAsync(s => s.SetProperty(d => d.LeaseOwner, d => d.LeaseOwner));
        var deliveries = await db.WebhookDeliveries.IgnoreQueryFilters().Where(d => ids.Contains(d.Id)).ToDictionaryAsync(d => d.Id);
        var consumers = await db.WebhookConsumers.IgnoreQueryFilters().Where(c => consumerIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id);

        foreach (var (claimed, outcome, at) in batch)
        {
            // Gone with its consumer, or claimed again by another instance after our lease ran out: theirs now.
            if (!deliveries.TryGetValue(claimed.DeliveryId, out var delivery) || delivery.LeaseOwner != claimed.Token)
            {
                continue;
            }

            delivery.LeaseOwner = null;
            delivery.LeaseExpiresAt = null;
            if (outcome is null)
            {
                // Not sent: the event is gone (nothing to send) or the consumer is disabled (its deliveries wait).
                delivery.Status = claimed.EventMissing ? DeliveryStatus.Cancelled : delivery.Status;
                continue;
            }

            var consumer = consumers[claimed.ConsumerId];
            delivery.AttemptCount++;
            db.WebhookAttempts.Add(new WebhookAttempt
            {
                Id = Guid.CreateVersion7(),
                ClientId = claimed.ClientId,
                ConsumerId = claimed.ConsumerId,
                DeliveryId = claimed.DeliveryId,
                EventId = claimed.EventId,
                EventType = claimed.EventType,
                AttemptedAt = at,
                StatusCode = outcome.StatusCode,
                DurationMs = outcome.DurationMs,
                Error = outcome.Error,
                Succeeded = outcome.Succeeded,
                Worker = InstanceId,
            });
            Apply(delivery, consumer, outcome, schedule, settings, at);
        }

        await db.SaveChangesAsync();
        await transaction.CommitAsync();
    }

    private static string Name(string text) => text.Length <= 80 ? text : text[^80..];

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

    private sealed record Claimed(
        Guid DeliveryId, Guid ClientId, Guid ConsumerId, Guid EventId, string EventType, string MessageId,
        string? Url, byte[]? Body, IReadOnlyList<byte[]> Keys, bool EventMissing, string Token, CancellationToken Lease,
        string? TraceParent = null);

    private sealed record Finished(Claimed Claimed, SendOutcome? Outcome, DateTime At);
}

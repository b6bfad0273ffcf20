using Consentry.Api.Tests.Infrastructure;
using Consentry.Core.Persistence;
using Consentry.Core.Sync;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace Consentry.Api.Tests.Cluster;

/// <summary>
/// Crash recovery in seconds (issue 20, item 4): work held by a SIGKILLed instance (webhook deliveries to a slow
/// endpoint, reads of slow platform pages) is taken over by another instance within 10 s of the death, and work whose
/// lease is kept renewed is never taken from a live instance, so nothing runs twice at once. Default lease settings.
/// </summary>
public sealed class CrashRecoveryTests(ITestOutputHelper output)
{
    private const int HeldDeliveries = 4;
    private static readonly string[] Collections = ["accounts", "customers", "invoices"];

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task KilledWhileHoldingDeliveriesAndReads_AnotherInstanceTakesThemOverWithin10s_NeverTwiceAtOnce(DatabaseProvider provider)
    {
        await using var pair = await InstancePair.StartAsync(provider);
        var (user, companyId, victim) = await HoldWorkOnFirstInstanceAsync(pair, pageMilliseconds: 8_000, slowPages: 1_000);
        var survivor = await pair.StartInstanceAsync(1);

        // Both instances poll; the victim's heartbeat keeps its leases (pages take longer than a lease), so nothing moves.
        await KeptByAsync(pair, companyId, victim, survivor);
        var heldMessages = Messages(pair.Receiver);

        var killedAt = pair.Kill(0);
        pair.Receiver.Hold = false;
        await pair.Sandbox.PostAsync("sbac", user, "latency", new { milliseconds = 0 });
        // What the dead instance held (nothing of it changes now, and its leases hold for a while yet).
        var victimPrefix = InstancePair.Prefix(victim);
        var held = (await pair.DatasetsAsync(companyId))
            .Where(d => d.Status != DatasetStatus.Complete && (d.LeaseOwner?.StartsWith(victimPrefix, StringComparison.Ordinal) ?? false)).Select(d => d.Id).ToHashSet();
        var heldDeliveries = (await DeliveriesAsync(pair)).Where(d => d.LeaseOwner?.StartsWith(victimPrefix, StringComparison.Ordinal) ?? false).Select(d => d.Id).ToHashSet();
        Assert.True(held.Count > 0, "the first instance held reads when it was killed");
        Assert.Equal(HeldDeliveries, heldDeliveries.Count);

        // Takeover, measured from the death: each held read and delivery claimed by the survivor (seen in the database).
        var survivorPrefix = InstancePair.Prefix(survivor);
        bool Survivors(string? owner) => owner?.StartsWith(survivorPrefix, StringComparison.Ordinal) ?? false;
        var takenOver = new Dictionary<Guid, DateTimeOffset>();
        await Eventually.ReachAsync(async () =>
        {
            var now = DateTimeOffset.UtcNow;
            var claimed = (await pair.DatasetsAsync(companyId)).Where(d => held.Contains(d.Id) && (Survivors(d.LeaseOwner) || Survivors(d.Worker))).Select(d => d.Id)
                .Concat((await DeliveriesAsync(pair)).Where(d => heldDeliveries.Contains(d.Id)
                    && (Survivors(d.LeaseOwner) || d.Status == Core.Webhooks.DeliveryStatus.Succeeded)).Select(d => d.Id)); // only the survivor can succeed it: the victim is dead
            foreach (var id in claimed)
            {
                takenOver.TryAdd(id, now);
            }

            return takenOver.Count;
        }, count => count == held.Count + heldDeliveries.Count, seconds: 60);
        var resent = await pair.Receiver.WaitForAsync(heldMessages, killedAt);

        var readTakeover = held.Max(id => takenOver[id]) - killedAt;
        var deliveryTakeover = heldDeliveries.Max(id => takenOver[id]) - killedAt;
        output.WriteLine($"{provider}: {held.Count} reads taken over {readTakeover.TotalSeconds:0.0} s after the kill, {heldDeliveries.Count} deliveries "
            + $"{deliveryTakeover.TotalSeconds:0.0} s after (and at the endpoint again {(resent.Max() - killedAt).TotalSeconds:0.0} s after).");
        Assert.True(readTakeover <= TimeSpan.FromSeconds(10), $"reads taken over {readTakeover.TotalSeconds:0.0} s after the kill");
        Assert.True(deliveryTakeover <= TimeSpan.FromSeconds(10), $"deliveries taken over {deliveryTakeover.TotalSeconds:0.0} s after the kill");

        // Finished by the survivor, and never twice at once: no attempt of a delivery overlaps another of it, and the
        // read resumed (one dataset per data type, every record once, each page asked for once but those in flight at the kill).
        await pair.Api(1).GetAsync($"/companies/{companyId}/dataStatus").ExpectAsync(System.Net.HttpStatusCode.OK);
        await Eventually.ReachAsync(() => pair.DatasetsAsync(companyId), ds => ds.Count >= 4 && ds.All(d => d.Status == DatasetStatus.Complete), seconds: 120);
        AssertNoOverlap(pair.Receiver);
        // In flight at the kill, per data type being read: the page being stored and the pages asked ahead of it (Sync:PagesAhead).
        var inFlight = new Consentry.Features.Sync.SyncOptions().PagesAhead + 1;
        await AssertReadOnceAsync(pair, user, companyId, inFlightAllowance: inFlight * (Collections.Length + 1));
    }

    [Fact]
    public async Task LongRunningWork_KeptRenewed_IsNotTakenOverByAnotherInstance()
    {
        await using var pair = await InstancePair.StartAsync(DatabaseProvider.Postgres);
        // Pages three leases long and a webhook endpoint that answers only when released: longer than any lease.
        var (user, companyId, first) = await HoldWorkOnFirstInstanceAsync(pair, pageMilliseconds: 20_000, slowPages: 4);
        var second = await pair.StartInstanceAsync(1);
        await KeptByAsync(pair, companyId, first, second);

        pair.Receiver.Hold = false;
        await Eventually.ReachAsync(() => pair.DatasetsAsync(companyId), ds => ds.Count >= 4 && ds.All(d => d.Status == DatasetStatus.Complete), seconds: 180);
        await Eventually.ReachAsync(
            () => pair.WithDbAsync(db => db.WebhookDeliveries.IgnoreQueryFilters().CountAsync(d => d.Status != Core.Webhooks.DeliveryStatus.Succeeded)),
            pending => pending == 0, seconds: 60);

        // Every delivery was attempted once and every read finished on the instance that started it, each page asked once.
        var prefix = InstancePair.Prefix(first);
        Assert.All(pair.Receiver.Attempts.GroupBy(a => a.MessageId), g => Assert.Single(g));
        Assert.All(await pair.DatasetsAsync(companyId), d => Assert.StartsWith(prefix, d.Worker, StringComparison.Ordinal));
        await AssertReadOnceAsync(pair, user, companyId, inFlightAllowance: 0);
    }

    /// <summary>
    /// Starts the first instance alone and gives it work to hold: deliveries to an endpoint that holds them open, and a
    /// linked company whose reads ask for pages the sandbox answers only after <paramref name="pageMilliseconds"/> (the
    /// first <paramref name="slowPages"/> pages asked for).
    /// </summary>
    private static async Task<(string User, string CompanyId, ConsentryProcess Instance)> HoldWorkOnFirstInstanceAsync(InstancePair pair, int pageMilliseconds, int slowPages)
    {
        pair.Receiver.Hold = true;
        var instance = await pair.StartInstanceAsync(0);
        var api = pair.Api(0);
        await api.PostJsonAsync("/webhooks", new { url = pair.Receiver.Url, eventTypes = new[] { "company.created" } }).ExpectAsync(System.Net.HttpStatusCode.Created);
        var user = "user_good+" + Guid.NewGuid().ToString("N")[..12];
        await pair.Sandbox.PostAsync("sbac", user, "latency", new { milliseconds = pageMilliseconds, requests = slowPages });
        var companyId = await pair.LinkAsync(0, user);
        for (var i = 1; i < HeldDeliveries; i++)
        {
            await api.CreateCompanyAsync($"Held {i}");
        }

        await Eventually.ReachAsync(() => Task.FromResult(Messages(pair.Receiver).Count), n => n >= HeldDeliveries);
        var prefix = InstancePair.Prefix(instance);
        await Eventually.ReachAsync(async () => Describe(await pair.DatasetsAsync(companyId)),
            ds => ds.Datasets.Count >= 4 && ds.Datasets.Count(d => d.Status == DatasetStatus.Fetching) >= 2 && ds.Datasets.All(d => d.Status == DatasetStatus.Fetching
                ? d.LeaseOwner?.StartsWith(prefix, StringComparison.Ordinal) ?? false
                : d.Status == DatasetStatus.Complete && (d.Worker?.StartsWith(prefix, StringComparison.Ordinal) ?? false)));
        return (user, companyId, instance);
    }

    /// <summary>
    /// Waits until the holder has renewed its read leases to two leases past the moment the other instance was polling,
    /// then checks nothing moved: every read still the holder's (or finished by it) and no delivery attempted twice.
    /// </summary>
    private static async Task KeptByAsync(InstancePair pair, string companyId, ConsentryProcess holder, ConsentryProcess other)
    {
        var prefix = InstancePair.Prefix(holder);
        var otherRunningSince = DateTime.UtcNow;
        var datasets = await Eventually.ReachAsync(() => pair.DatasetsAsync(companyId),
            ds => ds.Where(d => d.Status == DatasetStatus.Fetching).All(d => d.LeaseExpiresAt > otherRunningSince + (2 * InstancePair.Lease)), seconds: 60);
        Assert.All(datasets, d => Assert.True(
            d.Status == DatasetStatus.Fetching ? d.LeaseOwner?.StartsWith(prefix, StringComparison.Ordinal) ?? false : d.Worker?.StartsWith(prefix, StringComparison.Ordinal) ?? false,
            $"{d.DataType} ({d.Status}) is {d.LeaseOwner ?? d.Worker}, not the holder's"));
        Assert.DoesNotContain(InstancePair.Prefix(other), string.Join(" ", datasets.Select(d => d.LeaseOwner + " " + d.Worker)), StringComparison.Ordinal);
        Assert.All(pair.Receiver.Attempts.GroupBy(a => a.MessageId), g => Assert.Single(g));
    }

    private static Task<List<Core.Webhooks.WebhookDelivery>> DeliveriesAsync(InstancePair pair) =>
        pair.WithDbAsync(db => db.WebhookDeliveries.IgnoreQueryFilters().AsNoTracking().ToListAsync());

    private static Described Describe(List<Dataset> datasets) => new(datasets);

    /// <summary>Datasets as a timeout message shows them.</summary>
    private sealed record Described(List<Dataset> Datasets)
    {
        public override string ToString() => string.Join("; ", Datasets.Select(d => $"{d.DataType} {d.Status} {d.LeaseOwner} {d.Worker} {d.StatusDescription}"));
    }

    private static List<string> Messages(AttemptReceiver receiver) => [.. receiver.Attempts.Select(a => a.MessageId).Distinct()];

    /// <summary>No delivery's attempts overlap: each began after the one before it ended (answered, or its sender died).</summary>
    private static void AssertNoOverlap(AttemptReceiver receiver)
    {
        foreach (var attempts in receiver.Attempts.GroupBy(a => a.MessageId))
        {
            var ordered = attempts.OrderBy(a => a.Arrived).ToList();
            for (var i = 1; i < ordered.Count; i++)
            {
                Assert.True(ordered[i - 1].Ended is { } ended && ended <= ordered[i].Arrived,
                    $"attempts of {attempts.Key} overlap: {string.Join(", ", ordered)}");
            }
        }
    }

    /// <summary>One dataset per data type, every platform record stored once, each page asked for once (plus those in flight at a kill).</summary>
    private static async Task AssertReadOnceAsync(InstancePair pair, string user, string companyId, int inFlightAllowance)
    {
        var company = Guid.Parse(companyId);
        var expectedPages = 1; // the company object
        foreach (var collection in Collections)
        {
            var count = (await pair.Sandbox.PostAsync("sbac", user, "records", new { collection }))["count"]!.GetValue<int>();
            expectedPages += Math.Max(1, (int)Math.Ceiling(count / 10.0));
        }

        var (datasets, types, records, distinct) = await pair.WithDbAsync(async db => (
            await db.Datasets.IgnoreQueryFilters().CountAsync(d => d.CompanyId == company),
            await db.Datasets.IgnoreQueryFilters().Where(d => d.CompanyId == company).Select(d => d.DataType).Distinct().CountAsync(),
            await db.Records.IgnoreQueryFilters().CountAsync(r => r.CompanyId == company),
            await db.Records.IgnoreQueryFilters().Where(r => r.CompanyId == company).Select(r => new { r.DataType, r.RecordId }).Distinct().CountAsync()));
        Assert.Equal(types, datasets);
        Assert.Equal(records, distinct);
        var asked = (await pair.Sandbox.StatsAsync("sbac", user))["dataRequests"]!.GetValue<int>();
        Assert.InRange(asked, expectedPages, expectedPages + inFlightAllowance);
    }
}

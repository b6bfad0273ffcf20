using System.Net;
using System.Text.Json.Nodes;
using Consentry.Api.Tests.Infrastructure;
using Consentry.Core.Connections;
using Consentry.Core.Link;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace Consentry.Api.Tests.Cluster;

/// <summary>
/// The fault suite: three instances behind nginx on one PostgreSQL database, Link journeys, webhook deliveries and
/// sync reads running, while instances are SIGKILLed and restarted again and again. Afterwards nothing is lost,
/// nothing ran twice at once, and no connection is left half-authorized. Small enough for CI on 2 cores; every loop is
/// bounded and every wait is for a condition (with a generous limit), never a timing.
/// </summary>
public sealed class ClusterFaultTests(ITestOutputHelper output)
{
    private const int MinJourneys = 4;
    private const int MaxJourneys = 8;
    private const int MaxExtraCompanies = 120;
    private const int Kills = 4;
    private const int PageSize = 50;
    private const int ReadsPerInstance = 2;

    private static int _restartedJourneys;
    private static int _resent;

    // The first read of a linked sbac connection: the data types and the sandbox collections behind them.
    private static readonly (string DataType, string Collection)[] FirstReads =
        [("chartOfAccounts", "accounts"), ("customers", "customers"), ("invoices", "invoices")];

    [Fact]
    public async Task InstancesKilledRepeatedly_WhileJourneysDeliveriesAndReadsRun_NothingLostNothingDoubled()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var cluster = await TestCluster.StartAsync(3, new Dictionary<string, string>
        {
            // Short leases and polls, so the work of a killed instance is picked up within seconds.
            ["Consentry__Webhooks__PollMilliseconds"] = "100",
            ["Consentry__Webhooks__LeaseSeconds"] = "5",
            ["Consentry__Webhooks__RetrySchedule"] = "0,1s,1s,2s,2s,5s,5s,5s,10s,10s,10s,10s",
            ["Consentry__Webhooks__TimeoutSeconds"] = "10",
            ["Consentry__Sync__PageSize"] = PageSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Consentry__Sync__LeaseSeconds"] = "5",
            ["Consentry__Sync__PollMilliseconds"] = "200",
            ["Consentry__Sync__MaxConcurrency"] = ReadsPerInstance.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        var api = cluster.Api();
        await SendAsync(() => api.PostJsonAsync("/webhooks", new
        {
            url = receiver.Url(), eventTypes = new[] { "company.created", "connection.connected" },
        }), HttpStatusCode.Created);

        var linked = new System.Collections.Concurrent.ConcurrentBag<(string User, string CompanyId, string ConnectionId)>();
        var created = new System.Collections.Concurrent.ConcurrentBag<string>();
        var killer = KillRepeatedlyAsync(cluster);
        // The work goes on for as long as the kills do (bounded by counts), so kills land in journeys and reads alike.
        var started = 0;
        var journeys = Task.WhenAll(Enumerable.Range(0, 2).Select(async _ =>
        {
            while ((!killer.IsCompleted || Volatile.Read(ref started) < MinJourneys) && Interlocked.Increment(ref started) <= MaxJourneys)
            {
                var user = $"user_good+fault{Guid.NewGuid().ToString("N")[..12]}";
                // Slow pages, so kills land in the middle of reads as well as journeys.
                await SendAsync(() => cluster.SandboxControl().PostJsonAsync($"sbac/control/users/{Uri.EscapeDataString(user)}/latency", new { milliseconds = 40 }), HttpStatusCode.OK);
                linked.Add(await JourneyAsync(cluster, api, user));
            }
        }));
        var companies = Task.Run(async () =>
        {
            for (var i = 0; i < MaxExtraCompanies && !killer.IsCompleted; i++)
            {
                created.Add((await SendAsync(() => api.PostJsonAsync("/companies", new { name = $"Fault {i}" }), HttpStatusCode.OK))["id"]!.GetValue<string>());
                await Task.Delay(100);
            }
        });
        await Task.WhenAll(journeys, companies);
        var kills = await killer;
        output.WriteLine($"{kills} instances killed and restarted; {linked.Count} journeys ({Volatile.Read(ref _restartedJourneys)} attempts broken by a kill and started again), "
            + $"{created.Count} further companies; {Volatile.Read(ref _resent)} API requests sent again after a 502/503/reset.");

        // Every read completes (the reads of killed instances resume after their leases run out).
        foreach (var (_, companyId, _) in linked)
        {
            await WaitAsync(async () => (JsonObject)await SendAsync(() => api.GetAsync($"/companies/{companyId}/dataStatus"), HttpStatusCode.OK),
                s => s.Count >= FirstReads.Length && s.All(t => t.Value?["currentStatus"]?.GetValue<string>() == "Complete"), seconds: 180);
        }

        // Every event delivered at least once.
        var companyIds = created.Concat(linked.Select(l => l.CompanyId)).ToList();
        await receiver.WaitForAsync(r =>
            companyIds.All(id => r.Any(x => x.EventType == "company.created" && x.Body.Contains(id, StringComparison.Ordinal)))
            && linked.All(l => r.Any(x => x.EventType == "connection.connected" && x.Body.Contains(l.ConnectionId, StringComparison.Ordinal))), seconds: 180);

        // No pull ran twice at once: one dataset per company and data type, every record stored once, and the platform
        // was asked for each page once, except the pages in flight on an instance when it was killed (at most two per
        // read it was running).
        long expectedPages = 0, askedPages = 0;
        foreach (var (user, companyId, _) in linked)
        {
            var company = Guid.Parse(companyId);
            expectedPages += 1; // the company object
            foreach (var (dataType, collection) in FirstReads)
            {
                var platformCount = (await SendAsync(() => cluster.SandboxControl().PostJsonAsync(
                    $"sbac/control/users/{Uri.EscapeDataString(user)}/records", new { collection }), HttpStatusCode.OK))["count"]!.GetValue<int>();
                expectedPages += Math.Max(1, (int)Math.Ceiling(platformCount / (double)PageSize));
                var (datasets, records, distinct) = await cluster.WithDbAsync(async db => (
                    await db.Datasets.IgnoreQueryFilters().CountAsync(d => d.CompanyId == company && d.DataType == dataType),
                    await db.Records.IgnoreQueryFilters().CountAsync(r => r.CompanyId == company && r.DataType == dataType),
                    await db.Records.IgnoreQueryFilters().Where(r => r.CompanyId == company && r.DataType == dataType).Select(r => r.RecordId).Distinct().CountAsync()));
                Assert.Equal(1, datasets);
                Assert.Equal(platformCount, records);
                Assert.Equal(records, distinct);
            }

            askedPages += (await SendAsync(() => cluster.SandboxControl().GetAsync($"sbac/control/users/{Uri.EscapeDataString(user)}/stats"), HttpStatusCode.OK))["dataRequests"]!.GetValue<long>();
        }

        output.WriteLine($"Pages: {expectedPages} needed, {askedPages} asked for.");
        // In flight per read at each kill: the page being stored and those asked ahead of it (Sync:PagesAhead).
        Assert.InRange(askedPages, expectedPages, expectedPages + (kills * ReadsPerInstance * (new Consentry.Features.Sync.SyncOptions().PagesAhead + 1)));

        // No connection left half-authorized: every journey's connection is Linked with its tokens, and no connection
        // that is not Linked holds tokens.
        var journeyConnections = linked.Select(l => Guid.Parse(l.ConnectionId)).ToList();
        var (statuses, withTokens, tokensOfUnlinked, consumedWithoutOutcome) = await cluster.WithDbAsync(async db => (
            await db.Connections.IgnoreQueryFilters().Where(c => journeyConnections.Contains(c.Id)).Select(c => c.Status).ToListAsync(),
            await db.ConnectionTokens.IgnoreQueryFilters().CountAsync(t => journeyConnections.Contains(t.ConnectionId)),
            await db.ConnectionTokens.IgnoreQueryFilters().CountAsync(t => db.Connections.IgnoreQueryFilters().Any(c => c.Id == t.ConnectionId && c.Status != ConnectionStatus.Linked)),
            await db.OAuthFlows.IgnoreQueryFilters().CountAsync(f => f.ConsumedAt != null && !db.JourneyEvents.IgnoreQueryFilters().Any(e =>
                e.ConnectionId == f.ConnectionId && e.At >= f.ConsumedAt && (e.Step == JourneyStep.Authorized || e.Step == JourneyStep.Failed)))));
        Assert.Equal(linked.Count, statuses.Count);
        Assert.All(statuses, s => Assert.Equal(ConnectionStatus.Linked, s));
        Assert.Equal(linked.Count, withTokens);
        Assert.Equal(0, tokensOfUnlinked);
        // A callback killed between taking its single-use flow and committing the link leaves that flow without an
        // outcome (the journey is started again and links); reported, as it is a window the design accepts.
        output.WriteLine($"{consumedWithoutOutcome} consumed sign-in flow(s) without an outcome (callbacks killed mid-way).");
    }

    /// <summary>SIGKILLs instance 1 and 2 in turn (instance 0 serves the sandbox) and starts each again; bounded.</summary>
    private static async Task<int> KillRepeatedlyAsync(TestCluster cluster)
    {
        for (var i = 0; i < Kills; i++)
        {
            await Task.Delay(TimeSpan.FromSeconds(2)); // pacing only: the assertions never depend on when a kill lands
            var victim = 1 + (i % (cluster.Count - 1));
            cluster.Kill(victim);
            await Task.Delay(TimeSpan.FromMilliseconds(500));
            await cluster.StartInstanceAsync(victim);
        }

        return Kills;
    }

    /// <summary>A Link journey through nginx; started again (bounded) when a kill broke it, until the connection is Linked.</summary>
    private static async Task<(string User, string CompanyId, string ConnectionId)> JourneyAsync(TestCluster cluster, HttpClient api, string user)
    {
        var companyId = (await SendAsync(() => api.PostJsonAsync("/companies", new { name = $"Journey {user}" }), HttpStatusCode.OK))["id"]!.GetValue<string>();
        var connection = await CreateConnectionAsync(api, companyId);
        var connectionId = connection["id"]!.GetValue<string>();
        var linkPath = new Uri(connection["linkUrl"]!.GetValue<string>()).PathAndQuery;
        for (var attempt = 0; attempt < 8; attempt++)
        {
            var current = await SendAsync(() => api.GetAsync($"/companies/{companyId}/connections/{connectionId}"), HttpStatusCode.OK);
            if (current["status"]!.GetValue<string>() == "Linked")
            {
                return (user, companyId, connectionId);
            }

            try
            {
                using var browser = new LinkBrowser(new Uri(cluster.Url));
                await browser.GoAsync(linkPath);
                await browser.SubmitAsync("handler=Continue");
                await browser.SubmitAsync("/oauth/login", new() { ["username"] = user, ["password"] = "pass_good" });
                await browser.SubmitAsync("/oauth/consent/accept");
            }
            catch (Exception e) when (e is HttpRequestException or InvalidOperationException or TaskCanceledException)
            {
                Interlocked.Increment(ref _restartedJourneys);
                // A killed instance broke this attempt (a 502 page without the form, a reset connection): start again.
            }
        }

        throw new InvalidOperationException($"The connection {connectionId} was not linked after 8 journeys.");
    }

    /// <summary>
    /// Creates the company's sbac connection. A POST that met a dying instance may have been done (nginx never resends
    /// a POST, and a company has one accounting connection), so before sending it again look whether it exists.
    /// </summary>
    private static async Task<JsonNode> CreateConnectionAsync(HttpClient api, string companyId)
    {
        for (var attempt = 0; attempt < 20; attempt++)
        {
            try
            {
                using var response = await api.PostJsonAsync($"/companies/{companyId}/connections", new { platformKey = "sbac" });
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
                }

                Assert.True(response.StatusCode is HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout,
                    $"Creating the connection: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }
            catch (HttpRequestException)
            {
            }

            Interlocked.Increment(ref _resent);
            var existing = (await SendAsync(() => api.GetAsync($"/companies/{companyId}/connections"), HttpStatusCode.OK))["results"]!.AsArray();
            if (existing.Count > 0)
            {
                return existing[0]!;
            }

            await Task.Delay(250);
        }

        throw new InvalidOperationException($"No connection could be created for company {companyId}.");
    }

    /// <summary>
    /// Sends through nginx and expects <paramref name="status"/>; a request that met a dying instance (a reset, or 502/503
    /// from nginx) is sent again, bounded. A POST that failed that way may have been done: the caller tolerates that.
    /// </summary>
    private static async Task<JsonNode> SendAsync(Func<Task<HttpResponseMessage>> send, HttpStatusCode status)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                using var response = await send();
                if (response.StatusCode is (HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout) && attempt < 20)
                {
                    Interlocked.Increment(ref _resent);
                    await Task.Delay(250);
                    continue;
                }

                var text = await response.Content.ReadAsStringAsync();
                Assert.True(response.StatusCode == status, $"Expected {(int)status} but got {(int)response.StatusCode}: {text}");
                return text.Length == 0 ? new JsonObject() : JsonNode.Parse(text)!;
            }
            catch (HttpRequestException) when (attempt < 20)
            {
                Interlocked.Increment(ref _resent);
                await Task.Delay(250);
            }
        }
    }

    private static async Task<T> WaitAsync<T>(Func<Task<T>> read, Func<T, bool> condition, int seconds)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var value = await read();
            if (condition(value))
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Condition not met within {seconds} s; last value: {value}");
            }

            await Task.Delay(200);
        }
    }
}

using System.Net;
using System.Net.Http.Headers;
using Consentry.Api.Tests.Infrastructure;
using Consentry.Core.Persistence;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;

namespace Consentry.Api.Tests.Webhooks;

public sealed class WebhookDurabilityTests
{
    private const string Key = "durability-key-0123456789abcdef";

    [Fact]
    public async Task KilledWithDeliveriesPending_EveryEventArrivesAfterARestart()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var slow = true;
        receiver.Respond = async _ =>
        {
            while (Volatile.Read(ref slow))
            {
                await Task.Delay(100); // keep deliveries in flight until the kill (and let go once restarted)
            }

            return Results.Ok();
        };
        var directory = Path.Combine(Path.GetTempPath(), "consentry-crash-" + Guid.NewGuid().ToString("N")[..8]);
        var environment = new Dictionary<string, string>
        {
            ["Consentry__DataDirectory"] = directory,
            ["Consentry__Bootstrap__ApiKey"] = Key,
            ["Consentry__Webhooks__AllowPrivateNetworks"] = "true",
            ["Consentry__Webhooks__PollMilliseconds"] = "50",
            ["Consentry__Webhooks__LeaseSeconds"] = "5",
            ["Consentry__Webhooks__TimeoutSeconds"] = "60",
            ["Consentry__Webhooks__BatchSize"] = "5",
            ["Consentry__Webhooks__MaxConcurrency"] = "5",
        };

        var created = new List<string>();
        await using (var first = await ConsentryProcess.StartAsync(environment))
        {
            var api = Client(first.Url);
            await api.PostJsonAsync("/webhooks", new { url = receiver.Url(), eventTypes = new[] { "company.created" } }).ExpectAsync(HttpStatusCode.Created);
            for (var i = 0; i < 100; i++)
            {
                created.Add(await api.CreateCompanyAsync($"Crash {i}"));
            }

            await receiver.WaitForAsync(r => r.Count >= 5);
            first.Kill();
        }

        // Five were in flight (sent, never answered) and 95 not sent at all when the process died.
        var killedAt = DateTimeOffset.UtcNow;
        var inFlight = receiver.Received.Select(Company).ToHashSet();
        Assert.InRange(inFlight.Count, 1, 5);
        Volatile.Write(ref slow, false);
        await using var second = await ConsentryProcess.StartAsync(environment);
        var received = await receiver.WaitForAsync(
            r => created.All(id => r.Any(x => x.At > killedAt && Company(x) == id)), seconds: 60);

        Assert.Equal(created.Order(), received.Where(r => r.At > killedAt).Select(Company).Distinct().Order());
        Assert.All(inFlight, id => Assert.Contains(received, r => r.At > killedAt && Company(r) == id));
    }

    [Fact]
    public async Task TwoInstancesOnPostgres_Deliver2000Events_NoneLost_NoneSentTwice()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var database = await PostgresServer.CreateDatabaseAsync();
        await using var one = new SharedDatabaseApp(database);
        await using var two = new SharedDatabaseApp(database);
        await one.InitializeAsync();
        await two.InitializeAsync();
        await one.Alpha().PostJsonAsync("/webhooks", new { url = receiver.Url(), eventTypes = new[] { "company.created" } }).ExpectAsync(HttpStatusCode.Created);

        var apps = new[] { one, two };
        await Parallel.ForEachAsync(Enumerable.Range(0, 2000), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, _) =>
        {
            using var response = await apps[i % 2].Alpha().PostJsonAsync("/companies", new { name = $"Scale {i}" });
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        });

        var received = await receiver.WaitForAsync(r => r.Select(x => x.Headers["webhook-id"]).Distinct().Count() >= 2000, seconds: 120);
        await Task.Delay(500);
        received = [.. receiver.Received];

        Assert.Equal(2000, received.Select(r => r.Headers["webhook-id"]).Distinct().Count());
        Assert.Equal(2000, received.Count);
        var workers = await one.WithDbAsync(db => db.WebhookAttempts.IgnoreQueryFilters().Select(a => a.Worker).Distinct().CountAsync());
        Assert.Equal(2, workers);
    }

    private static string Company(ReceivedWebhook received) => received.Json["payload"]!["id"]!.GetValue<string>();

    private static HttpClient Client(string url)
    {
        var client = new HttpClient { BaseAddress = new Uri(url) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(Key)));
        return client;
    }

    private sealed class SharedDatabaseApp(string connectionString) : ConsentryApp(DatabaseProvider.Postgres, connectionString)
    {
        protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Consentry:Webhooks:PollMilliseconds"] = "50",
            ["Consentry:Webhooks:AllowPrivateNetworks"] = "true",
            ["Consentry:Webhooks:BatchSize"] = "50",
        };
    }
}

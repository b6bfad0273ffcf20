using System.Net;
using System.Text.Json.Nodes;
using Consentry.Api.Tests.Contract;
using Consentry.Api.Tests.Infrastructure;
using Consentry.Api.Tests.Sync;
using Microsoft.EntityFrameworkCore;

namespace Consentry.Api.Tests.Webhooks;

/// <summary>
/// Codat's legacy event names (DataConnectionStatusChanged, DataSyncCompleted, DatasetDataChanged,
/// DataSyncStatusChangedToError, NewCompanySynchronized): subscribed to as Codat's documents do, raised by a real
/// sandbox journey and read, delivered signed in their flat legacy shape, each body held to the schema of
/// codat-docs-Webhooks.json with no property the schema lacks.
/// </summary>
public sealed class LegacyWebhookTests(SqliteSyncApp app) : IAsyncLifetime, IClassFixture<SqliteSyncApp>
{
    private static readonly string[] AccountingTypes = ["company", "chartOfAccounts", "customers", "invoices"];

    private static readonly Lazy<OpenApiSchemaValidator> WebhooksDocument = new(() =>
        new OpenApiSchemaValidator(JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Contract", "codat-docs-Webhooks.json")))!));

    private static readonly Dictionary<string, string> Schemas = new(StringComparer.Ordinal)
    {
        ["DataConnectionStatusChanged"] = "ConnectionStatusChangedWebhook",
        ["Data sync completed"] = "DataSyncCompletedWebhook",
        ["Dataset data changed"] = "DatasetDataChangedWebhook",
        ["Data Sync Status Changed To Error"] = "DatasetStatusChangedErrorWebhook",
        ["New company synchronized"] = "NewCompanySynchronizedWebhook",
    };

    private readonly HttpClient _api = app.Alpha();
    private readonly string _user = "user_good+" + Guid.NewGuid().ToString("N")[..12];
    private WebhookReceiver _receiver = null!;

    public async Task InitializeAsync() => _receiver = await WebhookReceiver.StartAsync();

    public async Task DisposeAsync() => await _receiver.DisposeAsync();

    [Fact]
    public async Task LegacyNames_AreAccepted_ByNameOrRuleType_AndListed_NeverEmittedOnesRefused()
    {
        var created = await _api.PostJsonAsync("/webhooks", new
        {
            url = "https://hooks.example.com/legacy",
            eventTypes = new[] { "DataSyncCompleted", "Dataset data changed", "DataConnectionStatusChanged", "NewCompanySynchronized", "DataSyncStatusChangedToError" },
        }).ExpectAsync(HttpStatusCode.Created);
        Assert.Empty(CodatSpec.Validator.Validate(created, "#/components/schemas/WebhookConsumer"));
        Assert.Equal(
            ["DataConnectionStatusChanged", "DataSyncCompleted", "DataSyncStatusChangedToError", "DatasetDataChanged", "NewCompanySynchronized"],
            created["eventTypes"]!.AsArray().Select(e => e!.GetValue<string>()).Order(StringComparer.Ordinal));

        var listed = await _api.GetAsync("/webhooks/eventTypes").ExpectAsync(HttpStatusCode.OK);
        var names = listed["results"]!.AsArray().Select(e => e!["eventType"]!.GetValue<string>()).ToList();
        Assert.Contains("DataSyncCompleted", names);
        Assert.Contains("read.completed", names);

        await _api.PostJsonAsync("/webhooks", new { url = "https://hooks.example.com/push", eventTypes = new[] { "PushOperationStatusChanged" } })
            .ExpectErrorAsync(HttpStatusCode.BadRequest, "never emits");
        await _api.DeleteAsync($"/webhooks/{created["id"]!.GetValue<string>()}").ExpectAsync(HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task Journey_Read_AndUnlink_DeliverLegacyEvents_InTheDocumentsShapes()
    {
        var consumer = await _api.PostJsonAsync("/webhooks", new
        {
            url = _receiver.Url(),
            eventTypes = new[] { "DataConnectionStatusChanged", "DataSyncCompleted", "DatasetDataChanged", "NewCompanySynchronized" },
            companyTags = new[] { $"user:{_user}" },
        }).ExpectAsync(HttpStatusCode.Created);
        // A consumer of "every event type" gets the current events only, never the legacy bodies.
        await using var everything = await WebhookReceiver.StartAsync();
        await _api.PostJsonAsync("/webhooks", new { url = everything.Url(), companyTags = new[] { $"user:{_user}" } }).ExpectAsync(HttpStatusCode.Created);
        var consumerId = consumer["id"]!.GetValue<string>();
        var secret = (await _api.GetAsync($"/webhooks/{consumerId}/secret").ExpectAsync(HttpStatusCode.OK))["key"]!.GetValue<string>();

        var (companyId, connectionId) = await app.LinkAsync("sbac", _user, tags: new { user = _user });
        await app.WaitForDataStatusAsync(companyId, s => SyncApp.AllComplete(s, AccountingTypes));
        // Deliveries run side by side and promise no order: wait for every event asserted below, the invoices' change included.
        var received = await _receiver.WaitForAsync(r =>
            Of(r, "Data sync completed").Count >= AccountingTypes.Length && Of(r, "New company synchronized").Count >= 1
            && Of(r, "DataConnectionStatusChanged").Count >= 1
            && Of(r, "Dataset data changed").Any(c => c["Data"]!["dataType"]!.GetValue<string>() == "invoices"));

        var clientId = await app.WithDbAsync(db => db.Clients.Where(c => c.Name == "Alpha").Select(c => c.Id).SingleAsync());
        foreach (var hook in received)
        {
            Assert.True(SignatureVerifier.Verify(secret, hook.Headers, hook.Body, DateTimeOffset.UtcNow));
            AssertLegacyShape(hook);
            var body = hook.Json;
            Assert.Equal(clientId.ToString(), body["ClientId"]!.GetValue<string>());
            Assert.Equal("Alpha", body["ClientName"]!.GetValue<string>());
            Assert.Equal(companyId, body["CompanyId"]!.GetValue<string>());
            Assert.Equal(connectionId, body["DataConnectionId"]!.GetValue<string>());
            Assert.Equal(consumerId, body["RuleId"]!.GetValue<string>());
            Assert.Equal("msg_" + Guid.Parse(body["AlertId"]!.GetValue<string>()).ToString("N"), hook.Headers["webhook-id"]);
        }

        Assert.Equal(received.Count, received.Select(r => r.Json["AlertId"]!.GetValue<string>()).Distinct().Count());
        var linked = Assert.Single(Of(received, "DataConnectionStatusChanged"));
        Assert.Equal("PendingAuth", linked["Data"]!["oldStatus"]!.GetValue<string>());
        Assert.Equal("Linked", linked["Data"]!["newStatus"]!.GetValue<string>());
        Assert.Equal("sbac", linked["Data"]!["platformKey"]!.GetValue<string>());
        Assert.Equal(connectionId, linked["Data"]!["dataConnectionId"]!.GetValue<string>());

        var completed = Of(received, "Data sync completed");
        Assert.Equal(AccountingTypes.Order(), completed.Select(c => c["Data"]!["dataType"]!.GetValue<string>()).Order());
        var datasetIds = await app.WithDbAsync(db => db.Datasets.IgnoreQueryFilters().Where(d => d.CompanyId == Guid.Parse(companyId)).Select(d => d.Id).ToListAsync());
        Assert.All(completed, c => Assert.Contains(Guid.Parse(c["Data"]!["datasetId"]!.GetValue<string>()), datasetIds));
        Assert.All(completed, c => Assert.Equal(
            $"Data sync of type {c["Data"]!["dataType"]!.GetValue<string>()} completed for company {companyId}", c["Message"]!.GetValue<string>()));
        Assert.Contains("invoices", Of(received, "Dataset data changed").Select(c => c["Data"]!["dataType"]!.GetValue<string>()));

        var all = await everything.WaitForAsync(r => r.Any(e => e.Json["eventType"]?.GetValue<string>() == "read.completed.initial"));
        Assert.All(all, e => Assert.NotNull(e.Json["eventType"]));

        await _api.PatchJsonAsync($"/companies/{companyId}/connections/{connectionId}", new { status = "Unlinked" }).ExpectAsync(HttpStatusCode.OK);
        var unlinked = (await _receiver.WaitForAsync(r => Of(r, "DataConnectionStatusChanged").Count >= 2))
            .Where(r => r.Json["RuleType"]!.GetValue<string>() == "DataConnectionStatusChanged" && r.Json["Data"]!["newStatus"]!.GetValue<string>() == "Unlinked")
            .Select(r => { AssertLegacyShape(r); return r.Json; }).Single();
        Assert.Equal("Linked", unlinked["Data"]!["oldStatus"]!.GetValue<string>());
        Assert.Equal("Data connection for Consentry Sandbox Accounting status changed from Linked to Unlinked", unlinked["Message"]!.GetValue<string>());
    }

    [Fact]
    public async Task FailedRead_DeliversDataSyncStatusChangedToError()
    {
        await _api.PostJsonAsync("/webhooks", new { url = _receiver.Url(), eventTypes = new[] { "DataSyncStatusChangedToError" }, companyTags = new[] { $"user:{_user}" } })
            .ExpectAsync(HttpStatusCode.Created);
        var (companyId, _) = await app.LinkAsync("sbac", _user, tags: new { user = _user });
        await app.WaitForDataStatusAsync(companyId, s => SyncApp.AllComplete(s, AccountingTypes));

        await app.SandboxAsync("sbac", _user, "failures", new { requests = 50, status = 502 });
        try
        {
            var failing = await _api.PostAsync($"/companies/{companyId}/data/queue/customers", null).ExpectAsync(HttpStatusCode.OK);
            var hook = (await _receiver.WaitForAsync(r => r.Count >= 1))[0];
            AssertLegacyShape(hook);
            var data = hook.Json["Data"]!;
            Assert.Equal("customers", data["dataType"]!.GetValue<string>());
            Assert.Equal("FetchError", data["datasetStatus"]!.GetValue<string>());
            Assert.Equal(failing["id"]!.GetValue<string>(), data["datasetId"]!.GetValue<string>());
            Assert.StartsWith("ERROR: syncing customers triggered a FetchError notification at ", hook.Json["Message"]!.GetValue<string>(), StringComparison.Ordinal);
        }
        finally
        {
            await app.SandboxAsync("sbac", _user, "failures", new { requests = 0 });
        }
    }

    private static List<JsonNode> Of(IEnumerable<ReceivedWebhook> received, string ruleType) =>
        [.. received.Select(r => r.Json).Where(j => j["RuleType"]?.GetValue<string>() == ruleType)];

    /// <summary>The body is the legacy object itself (no envelope), valid against its schema, with no property the schema lacks.</summary>
    private static void AssertLegacyShape(ReceivedWebhook hook)
    {
        var body = hook.Json.AsObject();
        var schemaName = Schemas[body["RuleType"]!.GetValue<string>()];
        var pointer = $"#/components/schemas/{schemaName}";
        Assert.Empty(WebhooksDocument.Value.Validate(body, pointer));
        var schema = WebhooksDocument.Value.Resolve(pointer);
        var allowed = schema["properties"]!.AsObject().Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
        Assert.All(body, p => Assert.Contains(p.Key, allowed));
        if (body["Data"] is JsonObject data)
        {
            var dataSchema = WebhooksDocument.Value.Resolve($"{pointer}/properties/Data");
            while (dataSchema["$ref"] is JsonValue reference)
            {
                dataSchema = WebhooksDocument.Value.Resolve(reference.GetValue<string>());
            }

            var dataAllowed = dataSchema["properties"]!.AsObject().Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
            Assert.All(data, p => Assert.Contains(p.Key, dataAllowed));
        }
    }
}

using System.Net;
using Consentry.Api.Tests.Infrastructure;
using Consentry.Core.Connections;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Consentry.Api.Tests.Isolation;

/// <summary>
/// Every route that takes the id of a client's object answers another client exactly as if the object did not
/// exist (404, the same message as for an unknown id), and changes nothing. A route added without an entry in
/// <see cref="Routes"/> fails <see cref="EveryIdTakingRoute_IsCovered"/>.
/// </summary>
public abstract class ClientIsolationTests(ConsentryApp app)
{
    private static readonly string[] IdParameters = ["companyId", "connectionId", "apiKeyId", "datasetId", "webhookId"];

    /// <summary>Each id-taking route and a valid body for it (so only ownership can make it fail).</summary>
    private static readonly Dictionary<string, string?> Routes = new()
    {
        ["GET /companies/{companyId:guid}"] = null,
        ["PUT /companies/{companyId:guid}"] = """{"name":"Hijacked"}""",
        ["PATCH /companies/{companyId:guid}"] = """{"name":"Hijacked"}""",
        ["DELETE /companies/{companyId:guid}"] = null,
        ["GET /companies/{companyId:guid}/accessToken"] = null,
        ["GET /companies/{companyId:guid}/connectionManagement/accessToken"] = null,
        ["POST /companies/{companyId:guid}/products/{productIdentifier}/refresh"] = null,
        ["GET /companies/{companyId:guid}/sync/{datasetId:guid}/validation"] = null,
        ["POST /companies/{companyId:guid}/connections/{connectionId:guid}/data/queue/custom/{customDataIdentifier}"] = null,
        ["GET /companies/{companyId:guid}/connections/{connectionId:guid}/data/custom/{customDataIdentifier}"] = null,
        ["GET /companies/{companyId:guid}/connections"] = null,
        ["POST /companies/{companyId:guid}/connections"] = """{"platformKey":"sbbk"}""",
        ["GET /companies/{companyId:guid}/connections/{connectionId:guid}"] = null,
        ["PATCH /companies/{companyId:guid}/connections/{connectionId:guid}"] = """{"status":"Unlinked"}""",
        ["DELETE /companies/{companyId:guid}/connections/{connectionId:guid}"] = null,
        ["PUT /companies/{companyId:guid}/connections/{connectionId:guid}/authorization"] = """{"apiKey":"rk_test_0123456789abcdef"}""",
        ["GET /companies/{companyId:guid}/syncSettings"] = null,
        ["POST /companies/{companyId:guid}/syncSettings"] = """{"settings":[],"overridesDefaults":true}""",
        ["GET /companies/{companyId:guid}/dataStatus"] = null,
        ["POST /companies/{companyId:guid}/data/all"] = null,
        ["POST /companies/{companyId:guid}/data/queue/{dataType}"] = null,
        ["GET /companies/{companyId:guid}/data/history"] = null,
        ["GET /companies/{companyId:guid}/data/history/{datasetId:guid}"] = null,
        ["GET /companies/{companyId:guid}/data/info"] = null,
        ["GET /companies/{companyId:guid}/data/accounts"] = null,
        ["GET /companies/{companyId:guid}/data/accounts/{accountId}"] = null,
        ["GET /companies/{companyId:guid}/data/customers"] = null,
        ["GET /companies/{companyId:guid}/data/customers/{customerId}"] = null,
        ["GET /companies/{companyId:guid}/data/invoices"] = null,
        ["GET /companies/{companyId:guid}/data/invoices/{invoiceId}"] = null,
        ["GET /companies/{companyId:guid}/data/suppliers"] = null,
        ["GET /companies/{companyId:guid}/data/suppliers/{supplierId}"] = null,
        ["GET /companies/{companyId:guid}/data/bills"] = null,
        ["GET /companies/{companyId:guid}/data/bills/{billId}"] = null,
        ["GET /companies/{companyId:guid}/data/payments"] = null,
        ["GET /companies/{companyId:guid}/data/payments/{paymentId}"] = null,
        ["GET /companies/{companyId:guid}/connections/{connectionId:guid}/data/banking-accounts"] = null,
        ["GET /companies/{companyId:guid}/connections/{connectionId:guid}/data/banking-accounts/{accountId}"] = null,
        ["GET /companies/{companyId:guid}/connections/{connectionId:guid}/data/banking-accountBalances"] = null,
        ["GET /companies/{companyId:guid}/connections/{connectionId:guid}/data/banking-transactions"] = null,
        ["GET /companies/{companyId:guid}/connections/{connectionId:guid}/data/banking-transactions/{transactionId}"] = null,
        ["GET /companies/{companyId:guid}/data/banking-transactions"] = null,
        ["GET /companies/{companyId:guid}/connections/{connectionId:guid}/data/banking-transactionCategories"] = null,
        ["GET /companies/{companyId:guid}/connections/{connectionId:guid}/data/banking-transactionCategories/{transactionCategoryId}"] = null,
        ["GET /companies/{companyId:guid}/connections/{connectionId:guid}/data/commerce-products/{productId}"] = null,
        ["GET /companies/{companyId:guid}/connections/{connectionId:guid}/data/commerce-orders/{orderId}"] = null,
        ["GET /companies/{companyId:guid}/connections/{connectionId:guid}/data/commerce-payments/{paymentId}"] = null,
        ["GET /companies/{companyId:guid}/connections/{connectionId:guid}/data/commerce-locations"] = null,
        ["GET /companies/{companyId:guid}/connections/{connectionId:guid}/data/commerce-locations/{locationId}"] = null,
        ["GET /companies/{companyId:guid}/connections/{connectionId:guid}/data/commerce-paymentMethods"] = null,
        ["GET /companies/{companyId:guid}/connections/{connectionId:guid}/data/commerce-paymentMethods/{paymentMethodId}"] = null,
        ["GET /companies/{companyId:guid}/connections/{connectionId:guid}/data/commerce-productCategories"] = null,
        ["GET /companies/{companyId:guid}/connections/{connectionId:guid}/data/commerce-productCategories/{productId}"] = null,
        ["GET /companies/{companyId:guid}/connections/{connectionId:guid}/data/commerce-taxComponents"] = null,
        ["GET /companies/{companyId:guid}/connections/{connectionId:guid}/data/commerce-taxComponents/{taxId}"] = null,
        ["GET /companies/{companyId:guid}/connections/{connectionId:guid}/data/commerce-info"] = null,
        ["GET /companies/{companyId:guid}/connections/{connectionId:guid}/data/commerce-customers"] = null,
        ["GET /companies/{companyId:guid}/connections/{connectionId:guid}/data/commerce-customers/{customerId}"] = null,
        ["GET /companies/{companyId:guid}/connections/{connectionId:guid}/data/commerce-products"] = null,
        ["GET /companies/{companyId:guid}/connections/{connectionId:guid}/data/commerce-orders"] = null,
        ["GET /companies/{companyId:guid}/connections/{connectionId:guid}/data/commerce-payments"] = null,
        ["GET /companies/{companyId:guid}/connections/{connectionId:guid}/data/commerce-transactions"] = null,
        ["GET /companies/{companyId:guid}/connections/{connectionId:guid}/data/commerce-transactions/{transactionId}"] = null,
        ["GET /companies/{companyId:guid}/connections/{connectionId:guid}/data/commerce-disputes"] = null,
        ["GET /companies/{companyId:guid}/connections/{connectionId:guid}/data/commerce-disputes/{disputeId}"] = null,
        ["PUT /companies/{companyId:guid}/products/{productIdentifier}"] = null,
        ["DELETE /companies/{companyId:guid}/products/{productIdentifier}"] = null,
        ["GET /companies/{companyId:guid}/consents"] = null,
        ["GET /companies/{companyId:guid}/export"] = null,
        ["DELETE /companies/{companyId:guid}/data/{dataType}"] = null,
        ["GET /companies/{companyId:guid}/connections/{connectionId:guid}/consents"] = null,
        ["GET /companies/{companyId:guid}/connections/{connectionId:guid}/impact"] = null,
        ["DELETE /companies/{companyId:guid}/connections/{connectionId:guid}/consents/{productIdentifier}"] = null,
        ["DELETE /apiKeys/{apiKeyId:guid}"] = null,
        ["DELETE /webhooks/{webhookId:guid}"] = null,
        ["GET /webhooks/{webhookId:guid}/secret"] = null,
        ["POST /webhooks/{webhookId:guid}/secret/rotate"] = null,
        ["GET /webhooks/{webhookId:guid}/attempts"] = null,
        ["POST /webhooks/{webhookId:guid}/recover"] = """{"since":"2020-01-01T00:00:00Z"}""",
    };

    [Fact]
    public void EveryIdTakingRoute_IsCovered()
    {
        // The Link SDK's routes take a company access token, not an API key: LinkSdkApiTests covers their isolation.
        var idRoutes = RouteKeys().Where(r => IdParameters.Any(p => r.Contains($"{{{p}", StringComparison.Ordinal)))
            .Where(r => !r.Contains(" /link/api/", StringComparison.Ordinal)).ToList();

        Assert.NotEmpty(idRoutes);
        var uncovered = idRoutes.Except(Routes.Keys).ToList();
        Assert.True(uncovered.Count == 0, "Routes with ids not covered by the isolation test: " + string.Join(", ", uncovered));
        var stale = Routes.Keys.Except(idRoutes).ToList();
        Assert.True(stale.Count == 0, "Isolation entries for routes that no longer exist: " + string.Join(", ", stale));
    }

    [Fact]
    public async Task AnotherClientsIds_Answer404AsIfMissing_AndChangeNothing()
    {
        var alpha = app.Alpha();
        var companyId = Guid.Parse(await alpha.CreateCompanyAsync("Owned by Alpha"));
        var connectionId = Guid.Parse(await alpha.CreateConnectionAsync(companyId.ToString(), "sbac"));
        await app.WithDbAsync(db => db.Connections.IgnoreQueryFilters().Where(c => c.Id == connectionId)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Status, ConnectionStatus.Linked)));
        var apiKeyId = Guid.Parse((await alpha.PostJsonAsync("/apiKeys", new { name = "alpha-second" }).ExpectAsync(HttpStatusCode.Created))["id"]!.GetValue<string>());
        var webhookId = Guid.Parse((await alpha.PostJsonAsync("/webhooks", new { url = "https://hooks.example.com/alpha" }).ExpectAsync(HttpStatusCode.Created))["id"]!.GetValue<string>());
        var ids = new Dictionary<string, Guid> { ["companyId"] = companyId, ["connectionId"] = connectionId, ["apiKeyId"] = apiKeyId, ["webhookId"] = webhookId };

        var beta = app.Beta();
        foreach (var (route, body) in Routes)
        {
            var method = new HttpMethod(route[..route.IndexOf(' ', StringComparison.Ordinal)]);
            var template = route[(route.IndexOf(' ', StringComparison.Ordinal) + 1)..];

            var foreign = await SendAsync(beta, method, Fill(template, ids), body);
            var missing = await SendAsync(beta, method, Fill(template, ids.ToDictionary(p => p.Key, _ => Guid.NewGuid())), body);

            Assert.True(foreign.Status == HttpStatusCode.NotFound, $"{route} with another client's ids answered {(int)foreign.Status}: {foreign.Error}");
            Assert.Equal(missing.Status, foreign.Status);
            Assert.Equal(Mask(missing.Error), Mask(foreign.Error));
        }

        var company = await alpha.GetAsync($"/companies/{companyId}").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Owned by Alpha", company["name"]!.GetValue<string>());
        var connection = Assert.Single(company["dataConnections"]!.AsArray())!;
        Assert.Equal("Linked", connection["status"]!.GetValue<string>());
        var keys = await alpha.GetAsync("/apiKeys").ExpectAsync(HttpStatusCode.OK);
        Assert.Contains(keys["results"]!.AsArray(), k => k!["id"]!.GetValue<string>() == apiKeyId.ToString());
        var hooks = await alpha.GetAsync("/webhooks").ExpectAsync(HttpStatusCode.OK);
        Assert.Contains(hooks["results"]!.AsArray(), k => k!["id"]!.GetValue<string>() == webhookId.ToString());
    }

    [Fact]
    public async Task Lists_ShowOnlyTheClientsOwnObjects()
    {
        var marker = Guid.NewGuid().ToString("N")[..8];
        await app.Alpha().CreateCompanyAsync($"Alpha {marker}");

        var seenByBeta = await app.Beta().GetAsync($"/companies?query=name~{marker}").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(0, seenByBeta["totalResults"]!.GetValue<int>());
        var seenByAlpha = await app.Alpha().GetAsync($"/companies?query=name~{marker}").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(1, seenByAlpha["totalResults"]!.GetValue<int>());
    }

    private List<string> RouteKeys() =>
        [.. app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            // Codat's operations we do not implement answer 501 whatever the ids and read nothing, so they have nothing to isolate.
            .Where(e => e.Metadata.GetMetadata<Consentry.Infrastructure.Errors.NotServedOperation>() is null)
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []).Select(m => $"{m} {Normalize(e.RoutePattern.RawText)}"))
            .Distinct()];

    private static string Normalize(string? raw) => "/" + (raw ?? "").Trim('/');

    private static string Fill(string template, IReadOnlyDictionary<string, Guid> ids) =>
        ids.Aggregate(template, (path, id) => path.Replace($"{{{id.Key}:guid}}", id.Value.ToString(), StringComparison.Ordinal));

    private static async Task<(HttpStatusCode Status, string Error)> SendAsync(HttpClient client, HttpMethod method, string path, string? body)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        }

        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var error = text.Length > 0 && text.TrimStart().StartsWith('{')
            ? System.Text.Json.Nodes.JsonNode.Parse(text)?["error"]?.GetValue<string>() ?? text
            : text;
        return (response.StatusCode, error);
    }

    /// <summary>The message with ids replaced, so "No company was found with ID x" compares equal for any x.</summary>
    private static string Mask(string message) =>
        System.Text.RegularExpressions.Regex.Replace(message, "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "<id>");
}

public sealed class ClientIsolationTests_Sqlite(SqliteApp app) : ClientIsolationTests(app), IClassFixture<SqliteApp>;

public sealed class ClientIsolationTests_Postgres(PostgresApp app) : ClientIsolationTests(app), IClassFixture<PostgresApp>;

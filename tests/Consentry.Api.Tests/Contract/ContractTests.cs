using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Consentry.Api.Tests.Infrastructure;
using Consentry.Core.Connections;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Consentry.Api.Tests.Contract;

/// <summary>
/// Contract tests against Codat's Platform OpenAPI document: every Codat operation Consentry serves is called over
/// HTTP on the real app, the status must be one the document lists for the operation, and the body must validate
/// against the document's schema for that status (errors against <c>ErrorMessage</c> too). The bodies we send are
/// validated against the operation's <c>requestBody</c> schema first, so the tests speak Codat-valid JSON.
/// </summary>
public abstract partial class ContractTests(ConsentryApp app)
{
    /// <summary>One call pattern of one Codat operation. The table below is the coverage the endpoint test checks.</summary>
    public sealed record Scenario(string Method, string Path, string Case, Func<ContractSession, Task> Run)
    {
        public string Name => $"{Method} {Path} {Case}";
    }

    private static readonly string Unknown = Guid.NewGuid().ToString();

    public static readonly IReadOnlyList<Scenario> Table =
    [
        // Companies
        new("GET", "/companies", "200 paged, with embedded connections and a next link", async s =>
        {
            var id = await s.NewCompanyAsync("Listed One");
            await s.NewConnectionAsync(id);
            await s.NewCompanyAsync("Listed Two");
            var page = await s.CallAsync("GET", "/companies", "/companies?page=1&pageSize=1&orderBy=-created", HttpStatusCode.OK);
            Assert.NotNull(page!["_links"]!["next"]);
            await s.CallAsync("GET", "/companies", "/companies?page=2&pageSize=1&query=name~listed&tags=region%3Duk", HttpStatusCode.OK);
        }),
        new("GET", "/companies", "400 malformed query", s =>
            s.CallAsync("GET", "/companies", "/companies?query=noSuchProperty%3D1", HttpStatusCode.BadRequest)),
        new("POST", "/companies", "200 with description and tags", s =>
            s.CallAsync("POST", "/companies", "/companies", HttpStatusCode.OK,
                new { name = "Contract Trading Ltd", description = "Created by a contract test", tags = new { region = "uk" } })),
        new("POST", "/companies", "400 empty name", s =>
            s.CallAsync("POST", "/companies", "/companies", HttpStatusCode.BadRequest, new { name = "" }, invalidRequest: true)),
        new("GET", "/companies/{companyId}", "200", async s =>
        {
            var id = await s.NewCompanyAsync();
            await s.NewConnectionAsync(id);
            await s.CallAsync("GET", "/companies/{companyId}", $"/companies/{id}", HttpStatusCode.OK);
        }),
        new("GET", "/companies/{companyId}", "404 unknown company", s =>
            s.CallAsync("GET", "/companies/{companyId}", $"/companies/{Unknown}", HttpStatusCode.NotFound)),
        new("PUT", "/companies/{companyId}", "200", async s =>
        {
            var id = await s.NewCompanyAsync();
            await s.CallAsync("PUT", "/companies/{companyId}", $"/companies/{id}", HttpStatusCode.OK,
                new { name = "Replaced Ltd", description = "Replaced", tags = new { team = "lending" } });
        }),
        new("PUT", "/companies/{companyId}", "404 unknown company", s =>
            s.CallAsync("PUT", "/companies/{companyId}", $"/companies/{Unknown}", HttpStatusCode.NotFound, new { name = "Nobody" })),
        new("PATCH", "/companies/{companyId}", "200", async s =>
        {
            var id = await s.NewCompanyAsync();
            await s.CallAsync("PATCH", "/companies/{companyId}", $"/companies/{id}", HttpStatusCode.OK, new { tags = new { stage = "two" } });
        }),
        new("PATCH", "/companies/{companyId}", "404 unknown company", s =>
            s.CallAsync("PATCH", "/companies/{companyId}", $"/companies/{Unknown}", HttpStatusCode.NotFound, new { name = "Nobody" })),
        new("DELETE", "/companies/{companyId}", "204", async s =>
        {
            var id = await s.NewCompanyAsync();
            await s.CallAsync("DELETE", "/companies/{companyId}", $"/companies/{id}", HttpStatusCode.NoContent);
        }),
        new("DELETE", "/companies/{companyId}", "404 unknown company", s =>
            s.CallAsync("DELETE", "/companies/{companyId}", $"/companies/{Unknown}", HttpStatusCode.NotFound)),
        new("GET", "/companies/{companyId}/accessToken", "200", async s =>
        {
            var id = await s.NewCompanyAsync();
            await s.CallAsync("GET", "/companies/{companyId}/accessToken", $"/companies/{id}/accessToken", HttpStatusCode.OK);
        }),
        new("GET", "/companies/{companyId}/accessToken", "404 unknown company", s =>
            s.CallAsync("GET", "/companies/{companyId}/accessToken", $"/companies/{Unknown}/accessToken", HttpStatusCode.NotFound)),

        // Products (alpha in Codat): a product the client defined (PUT /products/{id}, ours) added to and removed from a company.
        new("PUT", "/companies/{companyId}/products/{productIdentifier}", "204", async s =>
        {
            var id = await s.NewCompanyAsync();
            await s.Client.PutJsonAsync("/products/contract-lending", new { name = "Lending", dataTypes = new[] { "invoices" } }).ExpectAsync(HttpStatusCode.OK);
            await s.CallAsync("PUT", "/companies/{companyId}/products/{productIdentifier}", $"/companies/{id}/products/contract-lending", HttpStatusCode.NoContent);
        }),
        new("PUT", "/companies/{companyId}/products/{productIdentifier}", "404 unknown company", s =>
            s.CallAsync("PUT", "/companies/{companyId}/products/{productIdentifier}", $"/companies/{Unknown}/products/contract-lending", HttpStatusCode.NotFound)),
        new("DELETE", "/companies/{companyId}/products/{productIdentifier}", "204", async s =>
        {
            var id = await s.NewCompanyAsync();
            await s.Client.PutJsonAsync("/products/contract-lending", new { name = "Lending", dataTypes = new[] { "invoices" } }).ExpectAsync(HttpStatusCode.OK);
            await s.CallAsync("PUT", "/companies/{companyId}/products/{productIdentifier}", $"/companies/{id}/products/contract-lending", HttpStatusCode.NoContent);
            await s.CallAsync("DELETE", "/companies/{companyId}/products/{productIdentifier}", $"/companies/{id}/products/contract-lending", HttpStatusCode.NoContent);
        }),
        new("DELETE", "/companies/{companyId}/products/{productIdentifier}", "404 product not on the company", async s =>
        {
            var id = await s.NewCompanyAsync();
            await s.CallAsync("DELETE", "/companies/{companyId}/products/{productIdentifier}", $"/companies/{id}/products/contract-lending", HttpStatusCode.NotFound);
        }),

        // Connections
        new("GET", "/companies/{companyId}/connections", "200 paged", async s =>
        {
            var id = await s.NewCompanyAsync();
            await s.NewConnectionAsync(id, "sbac");
            await s.NewConnectionAsync(id, "sbbk");
            await s.CallAsync("GET", "/companies/{companyId}/connections", $"/companies/{id}/connections?pageSize=1", HttpStatusCode.OK);
            await s.CallAsync("GET", "/companies/{companyId}/connections",
                $"/companies/{id}/connections?page=2&pageSize=1&query=status%3DPendingAuth&orderBy=created", HttpStatusCode.OK);
        }),
        new("GET", "/companies/{companyId}/connections", "400 malformed query", async s =>
        {
            var id = await s.NewCompanyAsync();
            await s.CallAsync("GET", "/companies/{companyId}/connections", $"/companies/{id}/connections?query=status~Linked", HttpStatusCode.BadRequest);
        }),
        new("GET", "/companies/{companyId}/connections", "404 unknown company", s =>
            s.CallAsync("GET", "/companies/{companyId}/connections", $"/companies/{Unknown}/connections", HttpStatusCode.NotFound)),
        new("POST", "/companies/{companyId}/connections", "200", async s =>
        {
            var id = await s.NewCompanyAsync();
            await s.CallAsync("POST", "/companies/{companyId}/connections", $"/companies/{id}/connections", HttpStatusCode.OK, new { platformKey = "sbac" });
        }),
        new("POST", "/companies/{companyId}/connections", "404 unknown company", s =>
            s.CallAsync("POST", "/companies/{companyId}/connections", $"/companies/{Unknown}/connections", HttpStatusCode.NotFound,
                new { platformKey = "sbac" })),
        new("GET", "/companies/{companyId}/connections/{connectionId}", "200", async s =>
        {
            var id = await s.NewCompanyAsync();
            var connection = await s.NewConnectionAsync(id);
            await s.CallAsync("GET", "/companies/{companyId}/connections/{connectionId}", $"/companies/{id}/connections/{connection}", HttpStatusCode.OK);
        }),
        new("GET", "/companies/{companyId}/connections/{connectionId}", "404 unknown connection", async s =>
        {
            var id = await s.NewCompanyAsync();
            await s.CallAsync("GET", "/companies/{companyId}/connections/{connectionId}", $"/companies/{id}/connections/{Unknown}", HttpStatusCode.NotFound);
        }),
        new("PATCH", "/companies/{companyId}/connections/{connectionId}", "200 unlinks a Linked connection", async s =>
        {
            var id = await s.NewCompanyAsync();
            var connection = await s.NewConnectionAsync(id);
            await s.LinkAsync(connection);
            var unlinked = await s.CallAsync("PATCH", "/companies/{companyId}/connections/{connectionId}",
                $"/companies/{id}/connections/{connection}", HttpStatusCode.OK, new { status = "Unlinked" });
            Assert.Equal("Unlinked", unlinked!["status"]!.GetValue<string>());
        }),
        new("PATCH", "/companies/{companyId}/connections/{connectionId}", "404 unknown connection", async s =>
        {
            var id = await s.NewCompanyAsync();
            await s.CallAsync("PATCH", "/companies/{companyId}/connections/{connectionId}", $"/companies/{id}/connections/{Unknown}",
                HttpStatusCode.NotFound, new { status = "Unlinked" });
        }),
        new("PUT", "/companies/{companyId}/connections/{connectionId}/authorization", "404 unknown connection", async s =>
        {
            // The 200 is validated against Codat's Connection in CredentialAuthorizationApiTests (it needs a platform to check a key).
            var id = await s.NewCompanyAsync();
            await s.CallAsync("PUT", "/companies/{companyId}/connections/{connectionId}/authorization", $"/companies/{id}/connections/{Unknown}/authorization",
                HttpStatusCode.NotFound, new Dictionary<string, string> { ["apiKey"] = "rk_test_0123456789abcdef" });
        }),
        new("DELETE", "/companies/{companyId}/connections/{connectionId}", "200 with an empty body", async s =>
        {
            var id = await s.NewCompanyAsync();
            var connection = await s.NewConnectionAsync(id);
            await s.CallAsync("DELETE", "/companies/{companyId}/connections/{connectionId}", $"/companies/{id}/connections/{connection}", HttpStatusCode.OK);
        }),
        new("DELETE", "/companies/{companyId}/connections/{connectionId}", "404 unknown connection", async s =>
        {
            var id = await s.NewCompanyAsync();
            await s.CallAsync("DELETE", "/companies/{companyId}/connections/{connectionId}", $"/companies/{id}/connections/{Unknown}", HttpStatusCode.NotFound);
        }),

        // Refresh data and data status
        new("GET", "/companies/{companyId}/dataStatus", "200 keyed by data type", async s =>
        {
            var id = await s.NewCompanyAsync();
            var connection = await s.NewConnectionAsync(id, "sbac");
            await s.LinkAsync(connection);
            await s.CallAsync("POST", "/companies/{companyId}/data/queue/{dataType}", $"/companies/{id}/data/queue/invoices", HttpStatusCode.OK);
            var status = await s.CallAsync("GET", "/companies/{companyId}/dataStatus", $"/companies/{id}/dataStatus", HttpStatusCode.OK);
            Assert.NotNull(status!["invoices"]);
        }),
        new("GET", "/companies/{companyId}/dataStatus", "404 unknown company", s =>
            s.CallAsync("GET", "/companies/{companyId}/dataStatus", $"/companies/{Unknown}/dataStatus", HttpStatusCode.NotFound)),
        new("POST", "/companies/{companyId}/data/all", "204", async s =>
        {
            var id = await s.NewCompanyAsync();
            var connection = await s.NewConnectionAsync(id, "sbac");
            await s.LinkAsync(connection);
            await s.CallAsync("POST", "/companies/{companyId}/data/all", $"/companies/{id}/data/all", HttpStatusCode.NoContent);
        }),
        new("POST", "/companies/{companyId}/data/all", "404 unknown company", s =>
            s.CallAsync("POST", "/companies/{companyId}/data/all", $"/companies/{Unknown}/data/all", HttpStatusCode.NotFound)),
        new("POST", "/companies/{companyId}/data/queue/{dataType}", "200 PullOperation", async s =>
        {
            var id = await s.NewCompanyAsync();
            var connection = await s.NewConnectionAsync(id, "sbac");
            await s.LinkAsync(connection);
            await s.CallAsync("POST", "/companies/{companyId}/data/queue/{dataType}", $"/companies/{id}/data/queue/customers?connectionId={connection}", HttpStatusCode.OK);
        }),
        new("POST", "/companies/{companyId}/data/queue/{dataType}", "400 unknown data type", async s =>
        {
            var id = await s.NewCompanyAsync();
            await s.CallAsync("POST", "/companies/{companyId}/data/queue/{dataType}", $"/companies/{id}/data/queue/gizmos", HttpStatusCode.BadRequest);
        }),
        new("POST", "/companies/{companyId}/data/queue/{dataType}", "404 unknown company", s =>
            s.CallAsync("POST", "/companies/{companyId}/data/queue/{dataType}", $"/companies/{Unknown}/data/queue/invoices", HttpStatusCode.NotFound)),
        new("GET", "/companies/{companyId}/data/history", "200 paged", async s =>
        {
            var id = await s.NewCompanyAsync();
            var connection = await s.NewConnectionAsync(id, "sbac");
            await s.LinkAsync(connection);
            await s.CallAsync("POST", "/companies/{companyId}/data/all", $"/companies/{id}/data/all", HttpStatusCode.NoContent);
            await s.CallAsync("GET", "/companies/{companyId}/data/history", $"/companies/{id}/data/history?pageSize=2&orderBy=-requested&query=dataType%21%3Dcompany", HttpStatusCode.OK);
        }),
        new("GET", "/companies/{companyId}/data/history", "400 malformed query", async s =>
        {
            var id = await s.NewCompanyAsync();
            await s.CallAsync("GET", "/companies/{companyId}/data/history", $"/companies/{id}/data/history?query=isCompleted%3Dtrue", HttpStatusCode.BadRequest);
        }),
        new("GET", "/companies/{companyId}/data/history", "404 unknown company", s =>
            s.CallAsync("GET", "/companies/{companyId}/data/history", $"/companies/{Unknown}/data/history", HttpStatusCode.NotFound)),
        new("GET", "/companies/{companyId}/data/history/{datasetId}", "200", async s =>
        {
            var id = await s.NewCompanyAsync();
            var connection = await s.NewConnectionAsync(id, "sbac");
            await s.LinkAsync(connection);
            var queued = await s.CallAsync("POST", "/companies/{companyId}/data/queue/{dataType}", $"/companies/{id}/data/queue/invoices", HttpStatusCode.OK);
            await s.CallAsync("GET", "/companies/{companyId}/data/history/{datasetId}", $"/companies/{id}/data/history/{queued!["id"]}", HttpStatusCode.OK);
        }),
        new("GET", "/companies/{companyId}/data/history/{datasetId}", "404 unknown pull operation", async s =>
        {
            var id = await s.NewCompanyAsync();
            await s.CallAsync("GET", "/companies/{companyId}/data/history/{datasetId}", $"/companies/{id}/data/history/{Unknown}", HttpStatusCode.NotFound);
        }),

        // Sync settings
        new("GET", "/companies/{companyId}/syncSettings", "200", async s =>
        {
            var id = await s.NewCompanyAsync();
            await s.CallAsync("GET", "/companies/{companyId}/syncSettings", $"/companies/{id}/syncSettings", HttpStatusCode.OK);
        }),
        new("GET", "/companies/{companyId}/syncSettings", "404 unknown company", s =>
            s.CallAsync("GET", "/companies/{companyId}/syncSettings", $"/companies/{Unknown}/syncSettings", HttpStatusCode.NotFound)),
        new("POST", "/companies/{companyId}/syncSettings", "204 then read back", async s =>
        {
            var id = await s.NewCompanyAsync();
            await s.CallAsync("POST", "/companies/{companyId}/syncSettings", $"/companies/{id}/syncSettings", HttpStatusCode.NoContent,
                new { companyId = id, settings = SyncSettings, overridesDefaults = true });
            await s.CallAsync("GET", "/companies/{companyId}/syncSettings", $"/companies/{id}/syncSettings", HttpStatusCode.OK);
        }),
        new("POST", "/companies/{companyId}/syncSettings", "400 unknown data type", async s =>
        {
            var id = await s.NewCompanyAsync();
            await s.CallAsync("POST", "/companies/{companyId}/syncSettings", $"/companies/{id}/syncSettings", HttpStatusCode.BadRequest,
                new { companyId = id, settings = new[] { new { dataType = "noSuchType", fetchOnFirstLink = true, syncSchedule = 24, syncOrder = 0 } }, overridesDefaults = true },
                invalidRequest: true);
        }),
        new("POST", "/companies/{companyId}/syncSettings", "404 unknown company", s =>
            s.CallAsync("POST", "/companies/{companyId}/syncSettings", $"/companies/{Unknown}/syncSettings", HttpStatusCode.NotFound,
                new { companyId = Unknown, settings = SyncSettings, overridesDefaults = true })),
        new("GET", "/profile/syncSettings", "200", s =>
            s.CallAsync("GET", "/profile/syncSettings", "/profile/syncSettings", HttpStatusCode.OK)),
        new("POST", "/profile/syncSettings", "204 then read back", async s =>
        {
            var current = await s.CallAsync("GET", "/profile/syncSettings", "/profile/syncSettings", HttpStatusCode.OK);
            var clientId = current!["clientId"]!.GetValue<string>();
            await s.CallAsync("POST", "/profile/syncSettings", "/profile/syncSettings", HttpStatusCode.NoContent,
                new { clientId, settings = SyncSettings, overridesDefaults = true });
            await s.CallAsync("GET", "/profile/syncSettings", "/profile/syncSettings", HttpStatusCode.OK);
        }),

        // Profile and CORS
        new("GET", "/profile", "200", s => s.CallAsync("GET", "/profile", "/profile", HttpStatusCode.OK)),
        new("PUT", "/profile", "200 then read back", async s =>
        {
            await s.CallAsync("PUT", "/profile", "/profile", HttpStatusCode.OK, new
            {
                name = "CoPay",
                logoUrl = "https://copay.example/logo.png",
                iconUrl = "https://copay.example/icon.png",
                redirectUrl = "https://copay.example/done/{companyId}?status={statusCode}",
                whiteListUrls = new[] { "https://copay.example", "https://app.copay.example/link" },
            });
            await s.CallAsync("GET", "/profile", "/profile", HttpStatusCode.OK);
        }),
        new("GET", "/corsSettings", "200", s => s.CallAsync("GET", "/corsSettings", "/corsSettings", HttpStatusCode.OK)),
        new("POST", "/corsSettings", "200 then read back", async s =>
        {
            await s.CallAsync("POST", "/corsSettings", "/corsSettings", HttpStatusCode.OK,
                new { allowedOrigins = new[] { "https://copay.example", "http://localhost:3000" } });
            await s.CallAsync("GET", "/corsSettings", "/corsSettings", HttpStatusCode.OK);
        }),
        new("GET", "/connectionManagement/corsSettings", "200", s =>
            s.CallAsync("GET", "/connectionManagement/corsSettings", "/connectionManagement/corsSettings", HttpStatusCode.OK)),
        new("POST", "/connectionManagement/corsSettings", "200 then read back", async s =>
        {
            await s.CallAsync("POST", "/connectionManagement/corsSettings", "/connectionManagement/corsSettings", HttpStatusCode.OK,
                new { allowedOrigins = new[] { "https://legacy.copay.example" } });
            await s.CallAsync("GET", "/connectionManagement/corsSettings", "/connectionManagement/corsSettings", HttpStatusCode.OK);
        }),

        // Integrations
        new("GET", "/integrations", "200 filtered and paged", async s =>
        {
            await s.CallAsync("GET", "/integrations", "/integrations?query=sourceType%3DAccounting%26%26enabled%3Dtrue", HttpStatusCode.OK);
            await s.CallAsync("GET", "/integrations", "/integrations?page=2&pageSize=1&orderBy=-name", HttpStatusCode.OK);
        }),
        new("GET", "/integrations", "200 with the largest page size", s =>
            s.CallAsync("GET", "/integrations", "/integrations?pageSize=5000", HttpStatusCode.OK)),
        new("GET", "/integrations", "400 malformed query", s =>
            s.CallAsync("GET", "/integrations", "/integrations?query=%7Bname%3D", HttpStatusCode.BadRequest)),
        new("GET", "/integrations/{platformKey}", "200", s =>
            s.CallAsync("GET", "/integrations/{platformKey}", "/integrations/sbac", HttpStatusCode.OK)),
        new("GET", "/integrations/{platformKey}", "404 unknown platform", s =>
            s.CallAsync("GET", "/integrations/{platformKey}", "/integrations/zzzz", HttpStatusCode.NotFound)),
        new("GET", "/integrations/{platformKey}/branding", "200", s =>
            s.CallAsync("GET", "/integrations/{platformKey}/branding", "/integrations/sbac/branding", HttpStatusCode.OK)),
        new("GET", "/integrations/{platformKey}/branding", "404 unknown platform", s =>
            s.CallAsync("GET", "/integrations/{platformKey}/branding", "/integrations/zzzz/branding", HttpStatusCode.NotFound)),

        // API keys
        new("GET", "/apiKeys", "200", s => s.CallAsync("GET", "/apiKeys", "/apiKeys", HttpStatusCode.OK)),
        new("POST", "/apiKeys", "201 then listed", async s =>
        {
            await s.CallAsync("POST", "/apiKeys", "/apiKeys", HttpStatusCode.Created, new { name = "contract" });
            await s.CallAsync("GET", "/apiKeys", "/apiKeys", HttpStatusCode.OK);
        }),
        new("DELETE", "/apiKeys/{apiKeyId}", "204", async s =>
        {
            var key = await s.CallAsync("POST", "/apiKeys", "/apiKeys", HttpStatusCode.Created, new { name = "to delete" });
            await s.CallAsync("DELETE", "/apiKeys/{apiKeyId}", $"/apiKeys/{key!["id"]!.GetValue<string>()}", HttpStatusCode.NoContent);
        }),
        new("DELETE", "/apiKeys/{apiKeyId}", "404 unknown key", s =>
            s.CallAsync("DELETE", "/apiKeys/{apiKeyId}", $"/apiKeys/{Unknown}", HttpStatusCode.NotFound)),

        // Webhooks
        new("GET", "/webhooks", "200", async s =>
        {
            await s.CallAsync("POST", "/webhooks", "/webhooks", HttpStatusCode.Created,
                new { url = "https://hooks.example.com/codat", eventTypes = new[] { "company.created" }, companyTags = new[] { "region:uk" }, disabled = false });
            await s.CallAsync("GET", "/webhooks", "/webhooks", HttpStatusCode.OK);
        }),
        new("POST", "/webhooks", "201", s =>
            s.CallAsync("POST", "/webhooks", "/webhooks", HttpStatusCode.Created,
                new { url = "https://hooks.example.com/all", eventTypes = new[] { "connection.connected", "connection.deleted" } })),
        new("POST", "/webhooks", "400 unknown event type", s =>
            s.CallAsync("POST", "/webhooks", "/webhooks", HttpStatusCode.BadRequest,
                new { url = "https://hooks.example.com/x", eventTypes = new[] { "no.such.event" } })),
        new("DELETE", "/webhooks/{webhookId}", "204", async s =>
        {
            var consumer = await s.CallAsync("POST", "/webhooks", "/webhooks", HttpStatusCode.Created, new { url = "https://hooks.example.com/gone" });
            await s.CallAsync("DELETE", "/webhooks/{webhookId}", $"/webhooks/{consumer!["id"]!.GetValue<string>()}", HttpStatusCode.NoContent);
        }),
        new("DELETE", "/webhooks/{webhookId}", "404 unknown consumer", s =>
            s.CallAsync("DELETE", "/webhooks/{webhookId}", $"/webhooks/{Unknown}", HttpStatusCode.NotFound)),
    ];

    private static readonly object[] SyncSettings =
    [
        new { dataType = "invoices", fetchOnFirstLink = true, syncSchedule = 24, syncOrder = 0, monthsToSync = 24, isLocked = false },
        new { dataType = "banking-accounts", fetchOnFirstLink = false, syncSchedule = 168, syncOrder = 1, syncFromUtc = "2024-01-01T00:00:00Z" },
    ];

    public static TheoryData<string> Scenarios => [.. Table.Select(s => s.Name)];

    [Theory]
    [MemberData(nameof(Scenarios), MemberType = typeof(ContractTests))]
    public async Task Call_CodatScenario_StatusAndBodyMatchTheOas(string scenario)
    {
        var row = Table.Single(s => s.Name == scenario);
        var session = new ContractSession(app);

        await row.Run(session);

        Assert.Contains((row.Method, row.Path), session.Exercised);
    }

    [Fact]
    public async Task Validate_TamperedLiveCompany_ReportsEachBreak()
    {
        var session = new ContractSession(app);
        var id = await session.NewCompanyAsync();
        await session.NewConnectionAsync(id);
        var company = await session.CallAsync("GET", "/companies/{companyId}", $"/companies/{id}", HttpStatusCode.OK);
        var connection = company!["dataConnections"]![0]!.AsObject();
        company.AsObject().Remove("redirect");
        company["id"] = "not-a-uuid";
        connection["status"] = "Connected";
        connection["platform"] = "legacy";
        connection["created"] = 5;

        var violations = CodatSpec.Validator.Validate(company, "#/components/schemas/Company")
            .Select(v => $"{v.InstancePath} {v.Keyword}").Order(StringComparer.Ordinal);

        Assert.Equal(
            ["$.dataConnections[0].created type", "$.dataConnections[0].platform additionalProperties",
             "$.dataConnections[0].status enum", "$.id format", "$.redirect required"],
            violations);
    }

    [Fact]
    public async Task Call_WithoutApiKey_Returns401ErrorMessageOnEveryCoveredOperation()
    {
        var session = new ContractSession(app, app.Anonymous());
        foreach (var (method, path) in Table.Select(s => (s.Method, s.Path)).Distinct())
        {
            var url = PathParameter().Replace(path, m => m.Groups[1].Value == "platformKey" ? "sbac" : Guid.NewGuid().ToString());
            await session.CallAsync(method, path, url, HttpStatusCode.Unauthorized);
        }
    }

    [Fact]
    public void Endpoints_ServingCodatPaths_AreCoveredAndNamedByOperationId()
    {
        var covered = Table.Concat(OperationsContractTests.Table).Select(s => (s.Method, s.Path)).ToHashSet();
        var served = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["*"]).Select(method => new
            {
                Method = method,
                Path = Normalize(e.RoutePattern),
                Raw = e.RoutePattern.RawText,
                e.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName,
                NotServed = e.Metadata.GetMetadata<Consentry.Infrastructure.Errors.NotServedOperation>() is not null,
            }))
            .ToList();
        var problems = new List<string>();
        foreach (var endpoint in served)
        {
            var codat = CodatSpec.Operations.SingleOrDefault(o =>
                (o.Method == endpoint.Method || endpoint.Method == "*") && Shape(o.Path) == Shape(endpoint.Path));
            if (codat is null)
            {
                if (CodatSpec.Operations.FirstOrDefault(o => o.OperationId == endpoint.EndpointName) is { } named)
                {
                    problems.Add($"{endpoint.Method} {endpoint.Raw} is named '{endpoint.EndpointName}', Codat's operationId of {named}.");
                }

                continue;
            }

            if (!endpoint.NotServed && !covered.Contains((codat.Method, codat.Path)))
            {
                problems.Add($"{endpoint.Method} {endpoint.Raw} is Codat's {codat} but has no row in {nameof(ContractTests)}.{nameof(Table)}.");
            }

            if (endpoint.EndpointName != codat.OperationId)
            {
                problems.Add($"{endpoint.Method} {endpoint.Raw} is named '{endpoint.EndpointName ?? "(no name)"}'; Codat's operationId is '{codat.OperationId}'.");
            }

            if (endpoint.Path != codat.Path)
            {
                problems.Add($"{endpoint.Method} {endpoint.Raw} names its parameters differently from Codat's {codat.Path}.");
            }
        }

        foreach (var (method, path) in covered.Where(c => !served.Any(e => e.Method == c.Method && Shape(e.Path) == Shape(c.Path))))
        {
            problems.Add($"{method} {path} has contract rows but Consentry does not serve it.");
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
        Assert.NotEmpty(covered);
    }

    /// <summary>A route's path as Codat writes it: no constraints, defaults or optional markers, no trailing slash.</summary>
    private static string Normalize(RoutePattern pattern)
    {
        var raw = pattern.RawText ?? string.Concat(pattern.PathSegments.Select(segment => "/" + string.Concat(segment.Parts.Select(part => part switch
        {
            RoutePatternLiteralPart literal => literal.Content,
            RoutePatternParameterPart parameter => "{" + parameter.Name + "}",
            RoutePatternSeparatorPart separator => separator.Content,
            _ => "",
        }))));
        var path = RouteParameter().Replace("/" + raw.TrimStart('~').TrimStart('/'), "{$1}");
        return path.Length > 1 ? path.TrimEnd('/') : path;
    }

    private static string Shape(string path) => PathParameter().Replace(path, "{}");

    [GeneratedRegex(@"\{\**([^:=?}]+)[^}]*\}")]
    private static partial Regex RouteParameter();

    [GeneratedRegex(@"\{([^}]+)\}")]
    private static partial Regex PathParameter();
}

public sealed class ContractTests_Sqlite(SqliteApp app) : ContractTests(app), IClassFixture<SqliteApp>;

public sealed class ContractTests_Postgres(PostgresApp app) : ContractTests(app), IClassFixture<PostgresApp>;

/// <summary>Codat's own examples for the operations we serve must pass the validator: it is not stricter than the document.</summary>
public sealed class CodatExamplesTests
{
    [Fact]
    public void Examples_OfCoveredOperations_ValidateAgainstTheirSchemas()
    {
        var problems = new List<string>();
        var checkedExamples = 0;
        foreach (var (method, path) in ContractTests.Table.Select(s => (s.Method, s.Path)).Distinct())
        {
            var operation = CodatSpec.Operation(method, path);
            var bodies = new List<(string Where, JsonNode Media)>();
            if (operation.Definition["requestBody"] is { } requestBody && CodatSpec.Deref(requestBody)["content"]?["application/json"] is { } request)
            {
                bodies.Add(("request", request));
            }

            foreach (var (status, response) in operation.Definition["responses"]!.AsObject())
            {
                if (CodatSpec.Deref(response!)["content"]?["application/json"] is { } media)
                {
                    bodies.Add(($"response {status}", media));
                }
            }

            foreach (var (where, media) in bodies.Where(b => b.Media["schema"] is not null))
            {
                var examples = (media["examples"] as JsonObject)?.Select(e => (e.Key, Value: CodatSpec.Deref(e.Value!)["value"])) ?? [];
                if (media["example"] is { } single)
                {
                    examples = examples.Append(("example", single));
                }

                foreach (var (name, value) in examples)
                {
                    checkedExamples++;
                    var violations = CodatSpec.Validator.Validate(value, media["schema"]!);
                    problems.AddRange(violations.Select(v => $"{method} {path} {where} example '{name}': {v}"));
                }
            }
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
        Assert.True(checkedExamples > 10, $"Only {checkedExamples} examples were found.");
    }
}

/// <summary>Calls one Codat operation and checks the request, the status and the response against the document.</summary>
public sealed class ContractSession(ConsentryApp app, HttpClient? client = null)
{
    private const int MaxBodyInMessage = 3000;

    public HttpClient Client { get; } = client ?? app.Alpha();

    public ConsentryApp App => app;

    public HashSet<(string Method, string Path)> Exercised { get; } = [];

    /// <summary>
    /// Sends <paramref name="body"/> (validated against the operation's requestBody schema: valid, or, with
    /// <paramref name="invalidRequest"/>, deliberately invalid) and returns the response body after checking that the
    /// status is <paramref name="expected"/>, that Codat lists it for the operation, and that the body validates.
    /// </summary>
    public async Task<JsonNode?> CallAsync(
        string method, string oasPath, string url, HttpStatusCode expected, object? body = null, bool invalidRequest = false)
    {
        var operation = CodatSpec.Operation(method, oasPath);
        using var request = new HttpRequestMessage(new HttpMethod(method), url);
        if (body is not null)
        {
            var json = JsonSerializer.SerializeToNode(body, HttpExtensions.Json);
            CheckRequest(operation, json, invalidRequest);
            request.Content = new StringContent(json!.ToJsonString(), Encoding.UTF8, "application/json");
        }

        using var response = await Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var status = (int)response.StatusCode;
        Assert.True(response.StatusCode == expected, $"{method} {url}: expected {(int)expected} but got {status}: {Shorten(text)}");
        var declared = CodatSpec.Response(operation, status);
        Assert.True(declared is not null,
            $"{method} {url} answered {status}, a status Codat does not list for {operation} " +
            $"(it lists {string.Join(", ", operation.Definition["responses"]!.AsObject().Select(r => r.Key))}).");

        Exercised.Add((method, oasPath));
        var schema = declared!["content"]?["application/json"]?["schema"];
        if (text.Length == 0)
        {
            // Spec bug tolerated: delete-api-key's 204 refers to an ErrorMessage response, yet a 204 has no body by
            // definition (RFC 9110 §15.3.5). An empty 204 is therefore correct whatever schema the document attaches.
            Assert.True(schema is null || status == 204,
                $"{method} {url} answered {status} with no body, but Codat's document declares a JSON body for it.");
            return null;
        }

        Assert.True(schema is not null, $"{method} {url} answered {status} with a body, but Codat's document declares none: {Shorten(text)}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var node = JsonNode.Parse(text);
        var violations = CodatSpec.Validator.Validate(node, schema!, Where(schema!, $"{operation.Path}/{method.ToLowerInvariant()}/responses/{status}"));
        Assert.True(violations.Count == 0,
            $"{method} {url} answered {status} with {violations.Count} contract violation(s):{Environment.NewLine}  " +
            string.Join(Environment.NewLine + "  ", violations) + $"{Environment.NewLine}Body: {Shorten(text)}");
        if (status >= 400)
        {
            Assert.Equal(status, node!["statusCode"]?.GetValue<int>());
        }

        return node;
    }

    public async Task<string> NewCompanyAsync(string name = "Contract Co")
    {
        var company = await CallAsync("POST", "/companies", "/companies", HttpStatusCode.OK, new { name, tags = new { region = "uk" } });
        return company!["id"]!.GetValue<string>();
    }

    public async Task<string> NewConnectionAsync(string companyId, string platformKey = "sbac")
    {
        var connection = await CallAsync("POST", "/companies/{companyId}/connections", $"/companies/{companyId}/connections",
            HttpStatusCode.OK, new { platformKey });
        return connection!["id"]!.GetValue<string>();
    }

    /// <summary>Marks a connection Linked with the customer's consent to what its platform offers, as finishing the Link journey would.</summary>
    public Task<int> LinkAsync(string connectionId)
    {
        var id = Guid.Parse(connectionId);
        return app.WithDbAsync(async db =>
        {
            var connection = await db.Connections.IgnoreQueryFilters().SingleAsync(c => c.Id == id);
            connection.MoveTo(ConnectionStatus.Linked);
            db.ConnectionConsents.Add(new Consentry.Core.Consents.ConnectionConsent
            {
                ConnectionId = id, ProductIdentifier = "", ClientId = connection.ClientId, CompanyId = connection.CompanyId,
                Status = Consentry.Core.Consents.ConsentStatus.Active, LastRecordId = Guid.Empty, Updated = DateTime.UtcNow,
            });
            return await db.SaveChangesAsync();
        });
    }

    private static void CheckRequest(CodatOperation operation, JsonNode? json, bool invalidRequest)
    {
        var schema = operation.Definition["requestBody"] is { } requestBody
            ? CodatSpec.Deref(requestBody)["content"]?["application/json"]?["schema"]
            : null;
        Assert.True(schema is not null, $"{operation} takes no JSON body in Codat's document, but the test sends one.");
        var violations = CodatSpec.Validator.Validate(json, schema!, Where(schema!, $"{operation.Path}/{operation.Method.ToLowerInvariant()}/requestBody"));
        if (invalidRequest)
        {
            Assert.True(violations.Count > 0, $"The request to {operation} is meant to break Codat's requestBody schema but validates: {json?.ToJsonString()}");
        }
        else
        {
            Assert.True(violations.Count == 0,
                $"The test sends {operation} a body that Codat's requestBody schema rejects:{Environment.NewLine}  " +
                string.Join(Environment.NewLine + "  ", violations));
        }
    }

    /// <summary>A readable location for violations: the component the schema refers to, else the operation.</summary>
    private static string Where(JsonNode schema, string operationPath) =>
        schema["$ref"]?.GetValue<string>() ?? $"#/paths/{operationPath}";

    private static string Shorten(string text) => text.Length <= MaxBodyInMessage ? text : text[..MaxBodyInMessage] + "...";
}

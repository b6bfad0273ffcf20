using System.Net;
using System.Text.Json.Nodes;
using Consentry.Api.Tests.Infrastructure;
using Consentry.Core.Sync;
using Microsoft.EntityFrameworkCore;

namespace Consentry.Api.Tests.Contract;

/// <summary>
/// Contract tests of the operations issue 20 added (custom data types, supplemental data, product refresh, read
/// validation, the older access token path, the Zapier key), held to Codat's document like <see cref="ContractTests"/>;
/// the operations Consentry does not implement answer 501 in Codat's error shape; and the count of Codat's operations
/// served. The records of custom data types and supplemental data are read end to end in <see cref="CustomDataEndToEndTests"/>.
/// </summary>
public abstract class OperationsContractTests(ConsentryApp app)
{
    private static readonly string Unknown = Guid.NewGuid().ToString();

    private static readonly object AccountsType = new
    {
        dataSource = "/accounts",
        requiredData = new { code = "$.code", name = "$.name" },
        keyBy = new[] { "$.id" },
        sourceModifiedDate = new[] { "$.modifiedDate" },
    };

    private static readonly object InvoiceFields = new
    {
        supplementalDataConfig = new { myInvoiceFields = new { dataSource = "/invoices", pullData = new { reference = "reference" } } },
    };

    public static readonly IReadOnlyList<ContractTests.Scenario> Table =
    [
        new("GET", "/companies/{companyId}/connectionManagement/accessToken", "200 the token alone", async s =>
        {
            var id = await s.NewCompanyAsync();
            var token = await s.CallAsync("GET", "/companies/{companyId}/connectionManagement/accessToken", $"/companies/{id}/connectionManagement/accessToken", HttpStatusCode.OK);
            Assert.False(string.IsNullOrEmpty(token!["accessToken"]!.GetValue<string>()));
        }),
        new("GET", "/companies/{companyId}/connectionManagement/accessToken", "404 unknown company", s =>
            s.CallAsync("GET", "/companies/{companyId}/connectionManagement/accessToken", $"/companies/{Unknown}/connectionManagement/accessToken", HttpStatusCode.NotFound)),

        new("POST", "/companies/{companyId}/products/{productIdentifier}/refresh", "202 queues the product's data types", async s =>
        {
            var (id, connection) = await LinkedWithProductAsync(s);
            await s.CallAsync("POST", "/companies/{companyId}/products/{productIdentifier}/refresh", $"/companies/{id}/products/lending/refresh", HttpStatusCode.Accepted);
            var history = await s.CallAsync("GET", "/companies/{companyId}/data/history", $"/companies/{id}/data/history?pageSize=100", HttpStatusCode.OK);
            var queued = history!["results"]!.AsArray().Select(d => d!["dataType"]!.GetValue<string>()).ToList();
            Assert.Contains("invoices", queued);
            Assert.Contains("chartOfAccounts", queued);
            Assert.All(history["results"]!.AsArray(), d => Assert.Equal(connection, d!["connectionId"]!.GetValue<string>()));
        }),
        new("POST", "/companies/{companyId}/products/{productIdentifier}/refresh", "202 only the chosen data types", async s =>
        {
            var (id, _) = await LinkedWithProductAsync(s);
            await s.CallAsync("POST", "/companies/{companyId}/products/{productIdentifier}/refresh", $"/companies/{id}/products/lending/refresh",
                HttpStatusCode.Accepted, new { dataTypes = new[] { "invoices" } });
            var history = await s.CallAsync("GET", "/companies/{companyId}/data/history", $"/companies/{id}/data/history", HttpStatusCode.OK);
            Assert.Equal(["invoices"], history!["results"]!.AsArray().Select(d => d!["dataType"]!.GetValue<string>()).Distinct());
        }),
        new("POST", "/companies/{companyId}/products/{productIdentifier}/refresh", "400 a data type the product does not have", async s =>
        {
            var (id, _) = await LinkedWithProductAsync(s);
            var error = await s.CallAsync("POST", "/companies/{companyId}/products/{productIdentifier}/refresh", $"/companies/{id}/products/lending/refresh",
                HttpStatusCode.BadRequest, new { dataTypes = new[] { "gizmos" } });
            Assert.Contains("Valid options", error!["error"]!.GetValue<string>(), StringComparison.Ordinal);
        }),
        new("POST", "/companies/{companyId}/products/{productIdentifier}/refresh", "400 while a read is in progress", async s =>
        {
            var (id, connection) = await LinkedWithProductAsync(s);
            await s.App.WithDbAsync(async db =>
            {
                var c = await db.Connections.IgnoreQueryFilters().SingleAsync(x => x.Id == Guid.Parse(connection));
                var now = DateTime.UtcNow;
                // Held by an owner that never ends it within the test: the read stays in progress.
                db.Datasets.Add(new Dataset
                {
                    Id = Guid.CreateVersion7(), ClientId = c.ClientId, CompanyId = c.CompanyId, ConnectionId = c.Id, ReadId = Guid.CreateVersion7(),
                    DataType = "invoices", Status = DatasetStatus.Fetching, Requested = now, Started = now, NextAttemptAt = now,
                    LeaseOwner = "contract-test", LeaseExpiresAt = now.AddHours(1),
                });
                return await db.SaveChangesAsync();
            });
            var error = await s.CallAsync("POST", "/companies/{companyId}/products/{productIdentifier}/refresh", $"/companies/{id}/products/lending/refresh", HttpStatusCode.BadRequest);
            Assert.Contains("in progress", error!["error"]!.GetValue<string>(), StringComparison.Ordinal);
        }),
        new("POST", "/companies/{companyId}/products/{productIdentifier}/refresh", "404 product not on the company", async s =>
        {
            var id = await s.NewCompanyAsync();
            await s.CallAsync("POST", "/companies/{companyId}/products/{productIdentifier}/refresh", $"/companies/{id}/products/lending/refresh", HttpStatusCode.NotFound);
        }),
        new("POST", "/companies/{companyId}/products/{productIdentifier}/refresh", "404 unknown company", s =>
            s.CallAsync("POST", "/companies/{companyId}/products/{productIdentifier}/refresh", $"/companies/{Unknown}/products/lending/refresh", HttpStatusCode.NotFound)),

        new("GET", "/companies/{companyId}/sync/{datasetId}/validation", "200", async s =>
        {
            var id = await s.NewCompanyAsync();
            var connection = await s.NewConnectionAsync(id, "sbac");
            await s.LinkAsync(connection);
            var queued = await s.CallAsync("POST", "/companies/{companyId}/data/queue/{dataType}", $"/companies/{id}/data/queue/invoices", HttpStatusCode.OK);
            var result = await s.CallAsync("GET", "/companies/{companyId}/sync/{datasetId}/validation", $"/companies/{id}/sync/{queued!["id"]}/validation", HttpStatusCode.OK);
            Assert.NotNull(result!["errors"]);
            Assert.NotNull(result["warnings"]);
        }),
        new("GET", "/companies/{companyId}/sync/{datasetId}/validation", "404 unknown dataset", async s =>
        {
            var id = await s.NewCompanyAsync();
            await s.CallAsync("GET", "/companies/{companyId}/sync/{datasetId}/validation", $"/companies/{id}/sync/{Unknown}/validation", HttpStatusCode.NotFound);
        }),

        new("PUT", "/integrations/{platformKey}/dataTypes/{dataType}/supplementalDataConfig", "200 then read back", async s =>
        {
            await s.CallAsync("PUT", "/integrations/{platformKey}/dataTypes/{dataType}/supplementalDataConfig", "/integrations/sbac/dataTypes/invoices/supplementalDataConfig",
                HttpStatusCode.OK, InvoiceFields);
            var stored = await s.CallAsync("GET", "/integrations/{platformKey}/dataTypes/{dataType}/supplementalDataConfig", "/integrations/sbac/dataTypes/invoices/supplementalDataConfig", HttpStatusCode.OK);
            Assert.Equal("reference", stored!["supplementalDataConfig"]!["myInvoiceFields"]!["pullData"]!["reference"]!.GetValue<string>());
        }),
        new("PUT", "/integrations/{platformKey}/dataTypes/{dataType}/supplementalDataConfig", "404 unknown platform", s =>
            s.CallAsync("PUT", "/integrations/{platformKey}/dataTypes/{dataType}/supplementalDataConfig", "/integrations/zzzz/dataTypes/invoices/supplementalDataConfig",
                HttpStatusCode.NotFound, InvoiceFields)),
        new("PUT", "/integrations/{platformKey}/dataTypes/{dataType}/supplementalDataConfig", "404 a data type without supplemental data", s =>
            s.CallAsync("PUT", "/integrations/{platformKey}/dataTypes/{dataType}/supplementalDataConfig", "/integrations/sbac/dataTypes/banking-accounts/supplementalDataConfig",
                HttpStatusCode.NotFound, InvoiceFields)),
        new("GET", "/integrations/{platformKey}/dataTypes/{dataType}/supplementalDataConfig", "200 empty when not configured", async s =>
        {
            var stored = await s.CallAsync("GET", "/integrations/{platformKey}/dataTypes/{dataType}/supplementalDataConfig", "/integrations/sbbk/dataTypes/suppliers/supplementalDataConfig", HttpStatusCode.OK);
            Assert.Empty(stored!["supplementalDataConfig"]!.AsObject());
        }),
        new("GET", "/integrations/{platformKey}/dataTypes/{dataType}/supplementalDataConfig", "404 unknown platform", s =>
            s.CallAsync("GET", "/integrations/{platformKey}/dataTypes/{dataType}/supplementalDataConfig", "/integrations/zzzz/dataTypes/invoices/supplementalDataConfig", HttpStatusCode.NotFound)),

        new("PUT", "/integrations/{platformKey}/dataTypes/custom/{customDataIdentifier}", "200 then read back", async s =>
        {
            await s.CallAsync("PUT", "/integrations/{platformKey}/dataTypes/custom/{customDataIdentifier}", "/integrations/sbac/dataTypes/custom/contractAccounts", HttpStatusCode.OK, AccountsType);
            var stored = await s.CallAsync("GET", "/integrations/{platformKey}/dataTypes/custom/{customDataIdentifier}", "/integrations/sbac/dataTypes/custom/contractAccounts", HttpStatusCode.OK);
            Assert.Equal("/accounts", stored!["dataSource"]!.GetValue<string>());
            Assert.Equal("$.id", stored["keyBy"]![0]!.GetValue<string>());
        }),
        new("PUT", "/integrations/{platformKey}/dataTypes/custom/{customDataIdentifier}", "404 unknown platform", s =>
            s.CallAsync("PUT", "/integrations/{platformKey}/dataTypes/custom/{customDataIdentifier}", "/integrations/zzzz/dataTypes/custom/contractAccounts", HttpStatusCode.NotFound, AccountsType)),
        new("GET", "/integrations/{platformKey}/dataTypes/custom/{customDataIdentifier}", "404 not configured", s =>
            s.CallAsync("GET", "/integrations/{platformKey}/dataTypes/custom/{customDataIdentifier}", "/integrations/sbac/dataTypes/custom/neverConfigured", HttpStatusCode.NotFound)),

        new("POST", "/companies/{companyId}/connections/{connectionId}/data/queue/custom/{customDataIdentifier}", "200 PullOperation", async s =>
        {
            await s.CallAsync("PUT", "/integrations/{platformKey}/dataTypes/custom/{customDataIdentifier}", "/integrations/sbac/dataTypes/custom/contractAccounts", HttpStatusCode.OK, AccountsType);
            var id = await s.NewCompanyAsync();
            var connection = await s.NewConnectionAsync(id, "sbac");
            await s.LinkAsync(connection);
            var queued = await s.CallAsync("POST", "/companies/{companyId}/connections/{connectionId}/data/queue/custom/{customDataIdentifier}",
                $"/companies/{id}/connections/{connection}/data/queue/custom/contractAccounts", HttpStatusCode.OK);
            Assert.Equal("custom/contractAccounts", queued!["dataType"]!.GetValue<string>());
        }),
        new("POST", "/companies/{companyId}/connections/{connectionId}/data/queue/custom/{customDataIdentifier}", "404 not configured for the platform", async s =>
        {
            var id = await s.NewCompanyAsync();
            var connection = await s.NewConnectionAsync(id, "sbbk");
            await s.LinkAsync(connection);
            await s.CallAsync("POST", "/companies/{companyId}/connections/{connectionId}/data/queue/custom/{customDataIdentifier}",
                $"/companies/{id}/connections/{connection}/data/queue/custom/neverConfigured", HttpStatusCode.NotFound);
        }),
        new("POST", "/companies/{companyId}/connections/{connectionId}/data/queue/custom/{customDataIdentifier}", "404 unknown connection", async s =>
        {
            var id = await s.NewCompanyAsync();
            await s.CallAsync("POST", "/companies/{companyId}/connections/{connectionId}/data/queue/custom/{customDataIdentifier}",
                $"/companies/{id}/connections/{Unknown}/data/queue/custom/contractAccounts", HttpStatusCode.NotFound);
        }),
        new("GET", "/companies/{companyId}/connections/{connectionId}/data/custom/{customDataIdentifier}", "404 before the first read", async s =>
        {
            var id = await s.NewCompanyAsync();
            var connection = await s.NewConnectionAsync(id, "sbac");
            await s.CallAsync("GET", "/companies/{companyId}/connections/{connectionId}/data/custom/{customDataIdentifier}",
                $"/companies/{id}/connections/{connection}/data/custom/contractAccounts", HttpStatusCode.NotFound);
        }),
        new("GET", "/companies/{companyId}/connections/{connectionId}/data/custom/{customDataIdentifier}", "400 page size out of range", async s =>
        {
            var id = await s.NewCompanyAsync();
            var connection = await s.NewConnectionAsync(id, "sbac");
            await s.CallAsync("GET", "/companies/{companyId}/connections/{connectionId}/data/custom/{customDataIdentifier}",
                $"/companies/{id}/connections/{connection}/data/custom/contractAccounts?pageSize=5001", HttpStatusCode.BadRequest);
        }),

        // An existing operation whose error status did not follow Codat's list (create-connection lists 404, no 400).
        new("POST", "/companies/{companyId}/connections", "404 unknown platformKey", async s =>
        {
            var id = await s.NewCompanyAsync();
            await s.CallAsync("POST", "/companies/{companyId}/connections", $"/companies/{id}/connections", HttpStatusCode.NotFound, new { platformKey = "zzzz" });
        }),

        new("POST", "/webhooks/integrationKeys/zapier", "201 a new key each time; the previous one stops working", async s =>
        {
            var first = (await s.CallAsync("POST", "/webhooks/integrationKeys/zapier", "/webhooks/integrationKeys/zapier", HttpStatusCode.Created))!["key"]!.GetValue<string>();
            using var zapier = s.App.ClientFor(first);
            await zapier.GetAsync("/webhooks").ExpectAsync(HttpStatusCode.OK);
            var second = (await s.CallAsync("POST", "/webhooks/integrationKeys/zapier", "/webhooks/integrationKeys/zapier", HttpStatusCode.Created))!["key"]!.GetValue<string>();
            Assert.NotEqual(first, second);
            await zapier.GetAsync("/webhooks").ExpectAsync(HttpStatusCode.Unauthorized);
            using var rotated = s.App.ClientFor(second);
            await rotated.GetAsync("/webhooks").ExpectAsync(HttpStatusCode.OK);
        }),
    ];

    public static TheoryData<string> Scenarios => [.. Table.Select(s => s.Name)];

    [Theory]
    [MemberData(nameof(Scenarios), MemberType = typeof(OperationsContractTests))]
    public async Task Call_NewOperation_StatusAndBodyMatchTheOas(string scenario)
    {
        var row = Table.Single(s => s.Name == scenario);
        var session = new ContractSession(app);

        await row.Run(session);

        Assert.Contains((row.Method, row.Path), session.Exercised);
    }

    [Fact]
    public async Task Call_NewOperationsWithoutApiKey_Return401ErrorMessage()
    {
        var session = new ContractSession(app, app.Anonymous());
        foreach (var (method, path) in Table.Select(s => (s.Method, s.Path)).Distinct())
        {
            var url = path.Replace("{platformKey}", "sbac", StringComparison.Ordinal).Replace("{dataType}", "invoices", StringComparison.Ordinal)
                .Replace("{customDataIdentifier}", "x", StringComparison.Ordinal).Replace("{productIdentifier}", "lending", StringComparison.Ordinal);
            url = System.Text.RegularExpressions.Regex.Replace(url, @"\{[^}]+\}", _ => Guid.NewGuid().ToString());
            await session.CallAsync(method, path, url, HttpStatusCode.Unauthorized);
        }
    }

    [Theory]
    [InlineData("GET", "/companies/{0}/push")]
    [InlineData("GET", "/companies/{0}/push/{1}")]
    [InlineData("GET", "/companies/{0}/connections/{1}/options/invoices")]
    [InlineData("POST", "/companies/{0}/connections/{1}/push/invoices")]
    [InlineData("PUT", "/companies/{0}/connections/{1}/push/invoices/{1}")]
    [InlineData("DELETE", "/companies/{0}/connections/{1}/push/invoices/{1}")]
    public async Task Call_OperationNotImplemented_Answers501InCodatsShape(string method, string template)
    {
        var url = string.Format(System.Globalization.CultureInfo.InvariantCulture, template, Guid.NewGuid(), Guid.NewGuid());
        using var request = new HttpRequestMessage(new HttpMethod(method), url);
        if (method is "POST" or "PUT")
        {
            request.Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
        }

        using var response = await app.Alpha().SendAsync(request);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.NotImplemented, response.StatusCode);
        Assert.Empty(CodatSpec.Validator.Validate(body, "#/components/schemas/ErrorMessage"));
        Assert.Equal(501, body["statusCode"]!.GetValue<int>());
        Assert.Contains("not implemented by Consentry", body["error"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Call_NotImplementedWithoutApiKey_Answers401()
    {
        using var response = await app.Anonymous().GetAsync($"/companies/{Guid.NewGuid()}/push");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task PutCustomDataType_Incomplete_Answers400NamingEachMissingPart()
    {
        using var response = await app.Alpha().PutJsonAsync("/integrations/sbac/dataTypes/custom/incomplete", new { dataSource = "/accounts" });
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = body["validation"]!["errors"]!.AsArray().Select(e => e!["message"]!.GetValue<string>()).ToList();
        Assert.Contains(errors, e => e.StartsWith("requiredData", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("keyBy", StringComparison.Ordinal));
    }

    /// <summary>
    /// Calls every operation of Codat's Platform document on the real app (unknown ids, minimal bodies) and counts those
    /// Consentry serves: any answer but 501 (not implemented), 405 or routing's own 404 ("Not found.", no endpoint).
    /// </summary>
    [Fact]
    public async Task CodatPlatformOperations_AtLeast48Of52_AreServed()
    {
        var api = app.Alpha();
        var served = new List<string>();
        var notServed = new List<string>();
        foreach (var operation in CodatSpec.Operations)
        {
            var url = operation.Path.Replace("{platformKey}", "sbac", StringComparison.Ordinal).Replace("{dataType}", "invoices", StringComparison.Ordinal)
                .Replace("{customDataIdentifier}", "countedType", StringComparison.Ordinal).Replace("{productIdentifier}", "lending", StringComparison.Ordinal)
                .Replace("{pushOperationKey}", Guid.NewGuid().ToString(), StringComparison.Ordinal);
            url = System.Text.RegularExpressions.Regex.Replace(url, @"\{[^}]+\}", _ => Guid.NewGuid().ToString());
            using var request = new HttpRequestMessage(new HttpMethod(operation.Method), url);
            if (operation.Method is "POST" or "PUT" or "PATCH")
            {
                request.Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
            }

            using var response = await api.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            var routed = !(response.StatusCode == HttpStatusCode.NotFound && JsonNode.Parse(text)?["error"]?.GetValue<string>() == "Not found.");
            var isServed = routed && response.StatusCode is not (HttpStatusCode.NotImplemented or HttpStatusCode.MethodNotAllowed);
            (isServed ? served : notServed).Add($"{operation} → {(int)response.StatusCode}");
            Assert.True((int)response.StatusCode < 500 || response.StatusCode == HttpStatusCode.NotImplemented, $"{operation} answered {(int)response.StatusCode}: {text}");
        }

        Assert.Equal(52, served.Count + notServed.Count);
        Assert.True(served.Count >= 48, $"Only {served.Count} of 52 served. Not served:{Environment.NewLine}{string.Join(Environment.NewLine, notServed)}");
        Assert.All(notServed, n => Assert.EndsWith("501", n, StringComparison.Ordinal));
    }

    [Fact]
    public void Examples_OfNewOperations_ValidateAgainstTheirSchemas()
    {
        var problems = new List<string>();
        var checkedExamples = 0;
        foreach (var (method, path) in Table.Select(s => (s.Method, s.Path)).Distinct())
        {
            var operation = CodatSpec.Operation(method, path);
            var media = new List<(string Where, JsonNode Media)>();
            if (operation.Definition["requestBody"] is { } requestBody && CodatSpec.Deref(requestBody)["content"]?["application/json"] is { } request)
            {
                media.Add(("request", request));
            }

            foreach (var (status, response) in operation.Definition["responses"]!.AsObject())
            {
                if (CodatSpec.Deref(response!)["content"]?["application/json"] is { } content)
                {
                    media.Add(($"response {status}", content));
                }
            }

            foreach (var (where, content) in media.Where(m => m.Media["schema"] is not null))
            {
                foreach (var example in (content["examples"] as JsonObject)?.Select(e => CodatSpec.Deref(e.Value!)["value"]) ?? [])
                {
                    checkedExamples++;
                    problems.AddRange(CodatSpec.Validator.Validate(example, content["schema"]!).Select(v => $"{method} {path} {where}: {v}"));
                }
            }
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
        Assert.True(checkedExamples > 10, $"Only {checkedExamples} examples were found.");
    }

    /// <summary>A company using Codat's <c>lending</c> product, with a Linked sandbox accounting connection.</summary>
    private static async Task<(string CompanyId, string ConnectionId)> LinkedWithProductAsync(ContractSession s)
    {
        var id = await s.NewCompanyAsync();
        await s.CallAsync("PUT", "/companies/{companyId}/products/{productIdentifier}", $"/companies/{id}/products/lending", HttpStatusCode.NoContent);
        var connection = await s.NewConnectionAsync(id, "sbac");
        await s.LinkAsync(connection);
        return (id, connection);
    }
}

public sealed class OperationsContractTests_Sqlite(SqliteApp app) : OperationsContractTests(app), IClassFixture<SqliteApp>;

public sealed class OperationsContractTests_Postgres(PostgresApp app) : OperationsContractTests(app), IClassFixture<PostgresApp>;

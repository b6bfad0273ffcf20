using System.Net;
using Consentry.Api.Tests.Infrastructure;
using Consentry.Core.Connections;
using Microsoft.EntityFrameworkCore;

namespace Consentry.Api.Tests.Connections;

public abstract class ConnectionsApiTests(ConsentryApp app)
{
    private readonly HttpClient _api = app.Alpha();

    [Fact]
    public async Task Create_SandboxPlatform_Returns200PendingAuthWithLinkUrl()
    {
        var companyId = await _api.CreateCompanyAsync();

        var body = await _api.PostJsonAsync($"/companies/{companyId}/connections", new { platformKey = "sbac" }).ExpectAsync(HttpStatusCode.OK);

        var id = body["id"]!.GetValue<string>();
        Assert.Equal("PendingAuth", body["status"]!.GetValue<string>());
        Assert.Equal("Accounting", body["sourceType"]!.GetValue<string>());
        Assert.Equal("sbac", body["integrationKey"]!.GetValue<string>());
        Assert.Equal("Consentry Sandbox Accounting", body["platformName"]!.GetValue<string>());
        Assert.Equal($"{ConsentryApp.PublicBaseUrl}/link/companies/{companyId}/connections/{id}/start", body["linkUrl"]!.GetValue<string>());
        Assert.True(Guid.TryParse(body["integrationId"]!.GetValue<string>(), out _));
        Assert.True(Guid.TryParse(body["sourceId"]!.GetValue<string>(), out _));
        Assert.Null(body["lastSync"]);
    }

    [Fact]
    public async Task Create_SecondAccountingConnection_Returns400_ButBankingMayRepeat()
    {
        var companyId = await _api.CreateCompanyAsync();
        await _api.CreateConnectionAsync(companyId, "sbac");

        await _api.PostJsonAsync($"/companies/{companyId}/connections", new { platformKey = "sbac" })
            .ExpectErrorAsync(HttpStatusCode.BadRequest, "only one accounting connection");
        await _api.CreateConnectionAsync(companyId, "sbbk");
        await _api.CreateConnectionAsync(companyId, "sbbk");
        await _api.CreateConnectionAsync(companyId, "sbcm");

        var list = await _api.GetAsync($"/companies/{companyId}/connections").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(4, list["totalResults"]!.GetValue<int>());
    }

    [Fact]
    public async Task Create_ConcurrentAccountingConnections_ExactlyOneWins()
    {
        var companyId = await _api.CreateCompanyAsync();

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            app.Alpha().PostJsonAsync($"/companies/{companyId}/connections", new { platformKey = "sbac" })));

        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.OK), r => Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode));
    }

    [Fact]
    public async Task Create_AfterUnlinkingTheAccountingConnection_IsAllowed()
    {
        var companyId = await _api.CreateCompanyAsync();
        var first = await _api.CreateConnectionAsync(companyId, "sbac");
        await SetStatusAsync(first, ConnectionStatus.Linked);
        await _api.PatchJsonAsync($"/companies/{companyId}/connections/{first}", new { status = "Unlinked" }).ExpectAsync(HttpStatusCode.OK);

        await _api.CreateConnectionAsync(companyId, "sbac");
    }

    [Theory]
    [InlineData("""{}""", "platformKey is required")]
    [InlineData("""{"platformKey":7}""", "$.platformKey")]
    [InlineData("""{"platformKey":"gbol"}""", "not enabled")]
    public async Task Create_BadPlatformKey_Returns400(string json, string fragment)
    {
        var companyId = await _api.CreateCompanyAsync();
        await _api.SendRawAsync(HttpMethod.Post, $"/companies/{companyId}/connections", json).ExpectErrorAsync(HttpStatusCode.BadRequest, fragment);
    }

    [Fact]
    public async Task Create_UnknownPlatformKey_Returns404AsCodatLists()
    {
        var companyId = await _api.CreateCompanyAsync();
        await _api.SendRawAsync(HttpMethod.Post, $"/companies/{companyId}/connections", """{"platformKey":"zzzz"}""")
            .ExpectErrorAsync(HttpStatusCode.NotFound, "No integration has the platformKey 'zzzz'");
    }

    [Fact]
    public async Task Create_ForUnknownCompany_Returns404()
    {
        await _api.PostJsonAsync($"/companies/{Guid.NewGuid()}/connections", new { platformKey = "sbac" })
            .ExpectErrorAsync(HttpStatusCode.NotFound, "No company was found");
    }

    [Fact]
    public async Task Get_ReturnsTheConnection_And404ForAnotherCompanysId()
    {
        var companyId = await _api.CreateCompanyAsync();
        var other = await _api.CreateCompanyAsync();
        var id = await _api.CreateConnectionAsync(companyId, "sbbk");

        var body = await _api.GetAsync($"/companies/{companyId}/connections/{id}").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(id, body["id"]!.GetValue<string>());

        await _api.GetAsync($"/companies/{other}/connections/{id}").ExpectErrorAsync(HttpStatusCode.NotFound, "Data connection");
        await _api.GetAsync($"/companies/{companyId}/connections/{Guid.NewGuid()}").ExpectErrorAsync(HttpStatusCode.NotFound, "Data connection");
    }

    [Fact]
    public async Task Unlink_LinkedConnection_Returns200Unlinked()
    {
        var companyId = await _api.CreateCompanyAsync();
        var id = await _api.CreateConnectionAsync(companyId, "sbbk");
        await SetStatusAsync(id, ConnectionStatus.Linked);

        var body = await _api.PatchJsonAsync($"/companies/{companyId}/connections/{id}", new { status = "Unlinked" }).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal("Unlinked", body["status"]!.GetValue<string>());
        await _api.PatchJsonAsync($"/companies/{companyId}/connections/{id}", new { status = "Unlinked" })
            .ExpectErrorAsync(HttpStatusCode.BadRequest, "this connection is Unlinked");
    }

    [Theory]
    [InlineData("""{"status":"Unlinked"}""", "Only a Linked connection can be unlinked; this connection is PendingAuth")]
    [InlineData("""{"status":"Linked"}""", "Only {\"status\": \"Unlinked\"}")]
    [InlineData("""{"status":"Deauthorized"}""", "Only {\"status\": \"Unlinked\"}")]
    [InlineData("""{}""", "Only {\"status\": \"Unlinked\"}")]
    [InlineData("""{"status":"Bogus"}""", "$.status")]
    public async Task Unlink_WhenNotAllowed_Returns400WithClearMessage(string json, string fragment)
    {
        var companyId = await _api.CreateCompanyAsync();
        var id = await _api.CreateConnectionAsync(companyId, "sbbk");

        await _api.SendRawAsync(HttpMethod.Patch, $"/companies/{companyId}/connections/{id}", json)
            .ExpectErrorAsync(HttpStatusCode.BadRequest, fragment);
    }

    [Fact]
    public async Task Delete_Returns200WithEmptyBody_ThenTheConnectionIsGone()
    {
        var companyId = await _api.CreateCompanyAsync();
        var id = await _api.CreateConnectionAsync(companyId, "sbcm");

        using (var response = await _api.DeleteAsync($"/companies/{companyId}/connections/{id}"))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        }

        await _api.GetAsync($"/companies/{companyId}/connections/{id}").ExpectErrorAsync(HttpStatusCode.NotFound);
        await _api.DeleteAsync($"/companies/{companyId}/connections/{id}").ExpectErrorAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task List_QueriesAndPages()
    {
        var companyId = await _api.CreateCompanyAsync();
        await _api.CreateConnectionAsync(companyId, "sbac");
        var bank = await _api.CreateConnectionAsync(companyId, "sbbk");
        await _api.CreateConnectionAsync(companyId, "sbcm");
        await SetStatusAsync(bank, ConnectionStatus.Linked);

        var linked = await _api.GetAsync($"/companies/{companyId}/connections?query=status%3DLinked").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(bank, Assert.Single(linked["results"]!.AsArray())!["id"]!.GetValue<string>());

        var notBanking = await _api.GetAsync($"/companies/{companyId}/connections?query=sourceType!%3DBanking&orderBy=-platformName").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(["Consentry Sandbox Commerce", "Consentry Sandbox Accounting"],
            notBanking["results"]!.AsArray().Select(c => c!["platformName"]!.GetValue<string>()));

        var paged = await _api.GetAsync($"/companies/{companyId}/connections?pageSize=1&page=3").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(3, paged["totalResults"]!.GetValue<int>());
        Assert.Single(paged["results"]!.AsArray());

        await _api.GetAsync($"/companies/{companyId}/connections?query=status~Linked").ExpectErrorAsync(HttpStatusCode.BadRequest, "Error parsing query");
        await _api.GetAsync($"/companies/{companyId}/connections?query=status%3DNope").ExpectErrorAsync(HttpStatusCode.BadRequest, "Error parsing query");
        await _api.GetAsync($"/companies/{Guid.NewGuid()}/connections").ExpectErrorAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task List_WithoutQueryOrOrder_AnswersAsTheQueriedList_PageByPage()
    {
        // A list without query or orderBy is read by compiled queries; "query=id!=<none>" matches every connection and
        // takes the general path. Both must give the same pages, totals and links, in creation order.
        var companyId = await _api.CreateCompanyAsync();
        var created = new List<string>();
        foreach (var platform in new[] { "sbac", "sbbk", "sbbk", "sbcm", "sbbk" })
        {
            created.Add(await _api.CreateConnectionAsync(companyId, platform));
        }

        var everything = $"query=id!%3D{Guid.Empty}";
        foreach (var (page, size) in new[] { (1, 100), (1, 2), (2, 2), (3, 2), (4, 2), (1, 5), (2, 5) })
        {
            var plain = await _api.GetAsync($"/companies/{companyId}/connections?page={page}&pageSize={size}").ExpectAsync(HttpStatusCode.OK);
            var queried = await _api.GetAsync($"/companies/{companyId}/connections?page={page}&pageSize={size}&{everything}").ExpectAsync(HttpStatusCode.OK);

            Assert.Equal(created.Skip((page - 1) * size).Take(size), plain["results"]!.AsArray().Select(c => c!["id"]!.GetValue<string>()));
            Assert.Equal(5, plain["totalResults"]!.GetValue<int>());
            Assert.Equal(queried["results"]!.ToJsonString(), plain["results"]!.ToJsonString());
            foreach (var field in new[] { "pageNumber", "pageSize", "totalResults" })
            {
                Assert.Equal(queried[field]!.GetValue<int>(), plain[field]!.GetValue<int>());
            }

            var links = plain["_links"]!.AsObject();
            Assert.Equal(page * size < 5, links["next"] is not null);
            Assert.Equal(page > 1, links["previous"] is not null);
            Assert.Equal($"/companies/{companyId}/connections?page={page}&pageSize={size}", links["current"]!["href"]!.GetValue<string>());
        }

        await _api.GetAsync($"/companies/{companyId}/connections?page=0").ExpectErrorAsync(HttpStatusCode.BadRequest, "page must be 1 or greater");
        await _api.GetAsync($"/companies/{companyId}/connections?pageSize=5001").ExpectErrorAsync(HttpStatusCode.BadRequest, "pageSize must be between");
        var empty = await _api.CreateCompanyAsync();
        var none = await _api.GetAsync($"/companies/{empty}/connections").ExpectAsync(HttpStatusCode.OK);
        Assert.Empty(none["results"]!.AsArray());
        Assert.Equal(0, none["totalResults"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("")]
    [InlineData("&orderBy=platformName")]
    public async Task List_APageFarPastTheEnd_IsEmpty_NotAnError(string order)
    {
        var companyId = await _api.CreateCompanyAsync();
        await _api.CreateConnectionAsync(companyId, "sbac");

        // 499,999 × 5,000 rows before it: past int's range, which once wrapped round to a negative OFFSET (a 500 on
        // PostgreSQL, the first page on SQLite).
        foreach (var page in new[] { 500_000, 1_000_000, int.MaxValue })
        {
            var far = await _api.GetAsync($"/companies/{companyId}/connections?page={page}&pageSize=5000{order}").ExpectAsync(HttpStatusCode.OK);
            Assert.Empty(far["results"]!.AsArray());
            Assert.Equal(1, far["totalResults"]!.GetValue<int>());
            Assert.Null(far["_links"]!["next"]);
            Assert.NotNull(far["_links"]!["previous"]);
        }
    }

    private Task<int> SetStatusAsync(string connectionId, ConnectionStatus status) =>
        app.WithDbAsync(db => db.Connections.IgnoreQueryFilters().Where(c => c.Id == Guid.Parse(connectionId))
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Status, status)));
}

public sealed class ConnectionsApiTests_Sqlite(SqliteApp app) : ConnectionsApiTests(app), IClassFixture<SqliteApp>;

public sealed class ConnectionsApiTests_Postgres(PostgresApp app) : ConnectionsApiTests(app), IClassFixture<PostgresApp>;

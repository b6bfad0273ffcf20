using System.Net;
using Consentry.Api.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Consentry.Api.Tests.Companies;

public abstract class CompaniesApiTests(ConsentryApp app)
{
    private readonly HttpClient _api = app.Alpha();

    [Fact]
    public async Task Create_ValidName_Returns200WithRedirectAndOmitsEmptyFields()
    {
        var body = await _api.PostJsonAsync("/companies", new { name = "Acme Trading Ltd" }).ExpectAsync(HttpStatusCode.OK);

        var id = body["id"]!.GetValue<string>();
        Assert.True(Guid.TryParse(id, out _));
        Assert.Equal("Acme Trading Ltd", body["name"]!.GetValue<string>());
        Assert.Equal($"{ConsentryApp.PublicBaseUrl}/link/company/{id}", body["redirect"]!.GetValue<string>());
        Assert.Empty(body["dataConnections"]!.AsArray());
        Assert.NotNull(body["created"]);
        var fields = body.AsObject().Select(p => p.Key).ToList();
        Assert.DoesNotContain("description", fields);
        Assert.DoesNotContain("lastSync", fields);
        Assert.DoesNotContain(body.AsObject(), p => p.Value is null);
    }

    [Theory]
    [InlineData("Company (Codat[1])", "Company Codat1")]
    [InlineData("  O'Brien & Sons, Ltd. @ Home?!  ", "O'Brien & Sons, Ltd. @ Home?!")]
    [InlineData("Müller<script>GmbH</script>", "MllerscriptGmbHscript")]
    public async Task Create_ForbiddenCharacters_AreStripped(string given, string expected)
    {
        var body = await _api.PostJsonAsync("/companies", new { name = given }).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(expected, body["name"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("""{"name":""}""", "name")]
    [InlineData("""{"name":"[](){}"}""", "name")]
    [InlineData("""{"description":"no name"}""", "name is required")]
    [InlineData("""{"name":123}""", "$.name")]
    [InlineData("""{"name":"Acme", "tags": {"k": 5}}""", "$.tags")]
    [InlineData("""{"name":"Acme" """, "not valid JSON")]
    [InlineData("""[]""", "not valid JSON")]
    [InlineData("", "body")]
    public async Task Create_BadInput_Returns400WithCodatError(string json, string fragment)
    {
        await _api.SendRawAsync(HttpMethod.Post, "/companies", json).ExpectErrorAsync(HttpStatusCode.BadRequest, fragment);
    }

    [Fact]
    public async Task Create_OverlongNameOrTooManyTags_Returns400()
    {
        await _api.PostJsonAsync("/companies", new { name = new string('a', 256) }).ExpectErrorAsync(HttpStatusCode.BadRequest, "at most 255");
        var tags = Enumerable.Range(0, 11).ToDictionary(i => $"k{i}", i => "v");
        await _api.PostJsonAsync("/companies", new { name = "Acme", tags }).ExpectErrorAsync(HttpStatusCode.BadRequest, "at most 10 tags");
        await _api.PostJsonAsync("/companies", new { name = "Acme", tags = new Dictionary<string, string> { [new string('k', 28)] = "v" } })
            .ExpectErrorAsync(HttpStatusCode.BadRequest, "1 to 27");
        await _api.PostJsonAsync("/companies", new { name = "Acme", description = new string('d', 1001) })
            .ExpectErrorAsync(HttpStatusCode.BadRequest, "description");
    }

    [Fact]
    public async Task Create_OversizedBody_Returns413()
    {
        var huge = new string('a', 2 * 1024 * 1024);
        await _api.SendRawAsync(HttpMethod.Post, "/companies", $$"""{"name":"{{huge}}"}""").ExpectErrorAsync(HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task Create_WrongContentType_Returns415()
    {
        await _api.SendRawAsync(HttpMethod.Post, "/companies", "name=Acme", "application/x-www-form-urlencoded")
            .ExpectErrorAsync(HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task Get_Existing_ReturnsCompanyWithEmbeddedConnections()
    {
        var id = await _api.CreateCompanyAsync("Embedded Ltd", new { region = "uk" });
        var connectionId = await _api.CreateConnectionAsync(id, "sbbk");

        var body = await _api.GetAsync($"/companies/{id}").ExpectAsync(HttpStatusCode.OK);

        Assert.Equal("uk", body["tags"]!["region"]!.GetValue<string>());
        var connection = Assert.Single(body["dataConnections"]!.AsArray())!;
        Assert.Equal(connectionId, connection["id"]!.GetValue<string>());
        Assert.Equal("PendingAuth", connection["status"]!.GetValue<string>());
    }

    /// <summary>
    /// The company is read as joined rows (tags × connections × products, GetCompany.LoadAsync): each tag, connection
    /// and product comes back once whatever the others' counts, and nothing of another company.
    /// </summary>
    [Fact]
    public async Task Get_WithSeveralTagsConnectionsAndProducts_AnswersEachOnce()
    {
        var id = await _api.CreateCompanyAsync("Joined Rows Ltd", new { region = "uk", tier = "gold", team = "north" });
        var other = await _api.CreateCompanyAsync("Joined Rows Other Ltd", new { region = "fr" });
        var connections = new[] { await _api.CreateConnectionAsync(id, "sbac"), await _api.CreateConnectionAsync(id, "sbbk") };
        await _api.CreateConnectionAsync(other, "sbcm");
        foreach (var product in new[] { "joined-rows-a", "joined-rows-b" })
        {
            (await _api.PutJsonAsync($"/products/{product}", new { name = product, dataTypes = new[] { "invoices" } })).EnsureSuccessStatusCode();
            (await _api.PutAsync($"/companies/{id}/products/{product}", null)).EnsureSuccessStatusCode();
        }

        var body = await _api.GetAsync($"/companies/{id}").ExpectAsync(HttpStatusCode.OK);

        Assert.Equal(["region", "team", "tier"], body["tags"]!.AsObject().Select(t => t.Key).Order(StringComparer.Ordinal));
        Assert.Equal("gold", body["tags"]!["tier"]!.GetValue<string>());
        Assert.Equal(connections.Order(StringComparer.Ordinal),
            body["dataConnections"]!.AsArray().Select(c => c!["id"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        Assert.Equal(["joined-rows-a", "joined-rows-b"], body["products"]!.AsArray().Select(p => p!.GetValue<string>()));
        var alone = await _api.GetAsync($"/companies/{other}").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("fr", Assert.Single(alone["tags"]!.AsObject()).Value!.GetValue<string>());
        Assert.Single(alone["dataConnections"]!.AsArray());
        Assert.Null(alone["products"]);
    }

    [Fact]
    public async Task Get_Unknown_Returns404WithMessage()
    {
        var id = Guid.NewGuid();
        await _api.GetAsync($"/companies/{id}").ExpectErrorAsync(HttpStatusCode.NotFound, $"No company was found with ID {id}");
        await _api.GetAsync("/companies/not-a-guid").ExpectErrorAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Put_ReplacesEverything_AndClearsWhatIsMissing()
    {
        var id = (await _api.PostJsonAsync("/companies", new { name = "Before", description = "desc", tags = new { a = "1" } })
            .ExpectAsync(HttpStatusCode.OK))["id"]!.GetValue<string>();

        var body = await _api.PutJsonAsync($"/companies/{id}", new { name = "After (2)" }).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal("After 2", body["name"]!.GetValue<string>());
        Assert.Null(body["description"]);
        Assert.Null(body["tags"]);
        await _api.PutJsonAsync($"/companies/{id}", new { description = "no name" }).ExpectErrorAsync(HttpStatusCode.BadRequest, "name");
    }

    [Fact]
    public async Task Patch_ChangesOnlyWhatIsGiven()
    {
        var id = (await _api.PostJsonAsync("/companies", new { name = "Patchable", description = "keep me", tags = new { a = "1" } })
            .ExpectAsync(HttpStatusCode.OK))["id"]!.GetValue<string>();

        var body = await _api.PatchJsonAsync($"/companies/{id}", new { tags = new { b = "2" } }).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Patchable", body["name"]!.GetValue<string>());
        Assert.Equal("keep me", body["description"]!.GetValue<string>());
        Assert.Equal("2", body["tags"]!["b"]!.GetValue<string>());
        Assert.Null(body["tags"]!["a"]);

        body = await _api.SendRawAsync(HttpMethod.Patch, $"/companies/{id}", """{"name":"Renamed","description":null}""").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Renamed", body["name"]!.GetValue<string>());
        Assert.Equal("keep me", body["description"]!.GetValue<string>());
        await _api.PatchJsonAsync($"/companies/{id}", new { name = "()" }).ExpectErrorAsync(HttpStatusCode.BadRequest);
        await _api.PatchJsonAsync($"/companies/{Guid.NewGuid()}", new { name = "x" }).ExpectErrorAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Delete_Returns204_AndRemovesItsConnections()
    {
        var id = await _api.CreateCompanyAsync("Doomed Ltd");
        var connectionId = await _api.CreateConnectionAsync(id, "sbbk");

        await _api.DeleteAsync($"/companies/{id}").ExpectAsync(HttpStatusCode.NoContent);

        await _api.GetAsync($"/companies/{id}").ExpectErrorAsync(HttpStatusCode.NotFound);
        await _api.GetAsync($"/companies/{id}/connections/{connectionId}").ExpectErrorAsync(HttpStatusCode.NotFound);
        var left = await app.WithDbAsync(db => db.Connections.IgnoreQueryFilters().CountAsync(c => c.Id == Guid.Parse(connectionId)));
        Assert.Equal(0, left);
        await _api.DeleteAsync($"/companies/{id}").ExpectErrorAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task List_PagesWithLinks_AndCountsAfterFiltering()
    {
        var batch = Guid.NewGuid().ToString("N")[..8];
        for (var i = 0; i < 5; i++)
        {
            await _api.CreateCompanyAsync($"Paged {i}", new { batch });
        }

        var page2 = await _api.GetAsync($"/companies?page=2&pageSize=2&tags=batch={batch}").ExpectAsync(HttpStatusCode.OK);

        Assert.Equal(5, page2["totalResults"]!.GetValue<int>());
        Assert.Equal(2, page2["pageNumber"]!.GetValue<int>());
        Assert.Equal(2, page2["pageSize"]!.GetValue<int>());
        Assert.Equal(["Paged 2", "Paged 3"], page2["results"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()));
        var links = page2["_links"]!;
        Assert.Equal("/companies", links["self"]!["href"]!.GetValue<string>());
        Assert.Equal($"/companies?page=2&pageSize=2&tags=batch%3D{batch}", links["current"]!["href"]!.GetValue<string>());
        Assert.Equal($"/companies?page=3&pageSize=2&tags=batch%3D{batch}", links["next"]!["href"]!.GetValue<string>());
        Assert.Equal($"/companies?page=1&pageSize=2&tags=batch%3D{batch}", links["previous"]!["href"]!.GetValue<string>());

        var last = await _api.GetAsync($"/companies?page=3&pageSize=2&tags=batch={batch}").ExpectAsync(HttpStatusCode.OK);
        Assert.Single(last["results"]!.AsArray());
        Assert.Null(last["_links"]!["next"]);
    }

    [Fact]
    public async Task List_QueryAndOrderBy_FilterInTheDatabase()
    {
        var batch = Guid.NewGuid().ToString("N")[..8];
        var a = await _api.CreateCompanyAsync($"Zeta {batch}", new { batch, team = "lending" });
        var b = await _api.CreateCompanyAsync($"Alpha {batch}", new { batch, team = "insights" });
        await _api.CreateConnectionAsync(b, "sbcm");

        var contains = await Names($"/companies?query=name~{batch.ToUpperInvariant()}&orderBy=name");
        Assert.Equal([$"Alpha {batch}", $"Zeta {batch}"], contains);

        var descending = await Names($"/companies?query=name~{batch}&orderBy=-name");
        Assert.Equal([$"Zeta {batch}", $"Alpha {batch}"], descending);

        var grouped = await Names(Uri.EscapeDataString($"{{name = Zeta {batch} || name = Alpha {batch}}} && dataConnections.status = PendingAuth"), query: true);
        Assert.Equal([$"Alpha {batch}"], grouped);

        var byTag = await Names($"/companies?tags={Uri.EscapeDataString($"batch={batch} && team!=lending")}");
        Assert.Equal([$"Alpha {batch}"], byTag);
        Assert.NotEqual(a, b);
    }

    [Theory]
    [InlineData("query=foo%3D1", "Error parsing query - Could not resolve property foo on Company")]
    [InlineData("query=name%3E5", "Error parsing query")]
    [InlineData("query=%7Bname%3Da", "Error parsing query")]
    [InlineData("query=created%3Dyesterday", "Error parsing query")]
    [InlineData("orderBy=nope", "orderBy")]
    [InlineData("tags=a%3E1", "Error parsing query")]
    [InlineData("pageSize=0", "pageSize")]
    [InlineData("pageSize=5001", "pageSize")]
    [InlineData("page=0", "page")]
    [InlineData("page=abc", "page")]
    public async Task List_BadParameters_Return400(string parameters, string fragment)
    {
        await _api.GetAsync($"/companies?{parameters}").ExpectErrorAsync(HttpStatusCode.BadRequest, fragment);
    }

    [Fact]
    public async Task List_QueryOfMaximumLength_IsAccepted_AndOneMoreIsRefused()
    {
        var filler = "name~" + new string('x', 2043);
        Assert.Equal(2048, filler.Length);
        await _api.GetAsync($"/companies?query={filler}").ExpectAsync(HttpStatusCode.OK);
        await _api.GetAsync($"/companies?query={filler}x").ExpectErrorAsync(HttpStatusCode.BadRequest, "2048");
    }

    [Fact]
    public async Task Requests_WithoutOrWithWrongKey_Return401()
    {
        await app.Anonymous().GetAsync("/companies").ExpectErrorAsync(HttpStatusCode.Unauthorized, "Unauthorized");
        await app.ClientFor("not-a-real-key-at-all").GetAsync("/companies").ExpectErrorAsync(HttpStatusCode.Unauthorized);
        var bearer = app.Anonymous();
        bearer.DefaultRequestHeaders.Add("Authorization", "Bearer something");
        await bearer.GetAsync("/companies").ExpectErrorAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Health_AnswersWhenTheDatabaseDoes()
    {
        using var response = await app.Anonymous().GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task UnknownRoute_Returns404InCodatShape()
    {
        await _api.GetAsync("/no/such/route").ExpectErrorAsync(HttpStatusCode.NotFound);
        await _api.SendRawAsync(HttpMethod.Put, "/companies", "{}").ExpectErrorAsync(HttpStatusCode.MethodNotAllowed);
    }

    private async Task<List<string>> Names(string url, bool query = false)
    {
        var body = await _api.GetAsync(query ? $"/companies?query={url}" : url).ExpectAsync(HttpStatusCode.OK);
        return [.. body["results"]!.AsArray().Select(c => c!["name"]!.GetValue<string>())];
    }
}

public sealed class CompaniesApiTests_Sqlite(SqliteApp app) : CompaniesApiTests(app), IClassFixture<SqliteApp>;

public sealed class CompaniesApiTests_Postgres(PostgresApp app) : CompaniesApiTests(app), IClassFixture<PostgresApp>;

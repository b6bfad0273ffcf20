using System.Net;
using System.Text;
using Consentry.Api.Tests.Infrastructure;
using Consentry.Core.Security;
using Microsoft.EntityFrameworkCore;

namespace Consentry.Api.Tests.Settings;

/// <summary>Each test uses a client of its own, so key counts do not depend on test order.</summary>
public abstract class ApiKeysApiTests(ConsentryApp app)
{
    [Fact]
    public async Task Create_Returns201WithAWorkingKey_AndListsShowOnlyAHint()
    {
        var api = await NewClientAsync();

        var created = await api.PostJsonAsync("/apiKeys", new { name = "ci" }).ExpectAsync(HttpStatusCode.Created);
        var key = created["apiKey"]!.GetValue<string>();
        Assert.Equal("ci", created["name"]!.GetValue<string>());
        Assert.NotNull(created["createdDate"]);

        await app.ClientFor(key).GetAsync("/companies").ExpectAsync(HttpStatusCode.OK);
        var list = await api.GetAsync("/apiKeys").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(2, list["results"]!.AsArray().Count);
        Assert.DoesNotContain(key, list.ToJsonString(), StringComparison.Ordinal);
        Assert.Null(list["pageNumber"]);
    }

    [Fact]
    public async Task Keys_AreStoredOnlyAsHashes()
    {
        var api = await NewClientAsync();
        var key = (await api.PostJsonAsync("/apiKeys", new { name = "hashed" }).ExpectAsync(HttpStatusCode.Created))["apiKey"]!.GetValue<string>();

        var rows = await app.WithDbAsync(db => db.ApiKeys.IgnoreQueryFilters().ToListAsync());
        var row = Assert.Single(rows, r => r.Name == "hashed");
        Assert.Equal(ApiKeySecret.Hash(key), row.Hash);
        Assert.DoesNotContain(rows, r => Encoding.UTF8.GetString(r.Hash).Contains(key, StringComparison.Ordinal) || r.Hint.Contains(key, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Create_EleventhKey_Returns409()
    {
        var api = await NewClientAsync();
        for (var i = 0; i < 9; i++)
        {
            await api.PostJsonAsync("/apiKeys", new { name = $"k{i}" }).ExpectAsync(HttpStatusCode.Created);
        }

        await api.PostJsonAsync("/apiKeys", new { name = "eleventh" }).ExpectErrorAsync(HttpStatusCode.Conflict, "at most 10");
    }

    [Fact]
    public async Task Create_ConcurrentRequests_NeverExceedTenKeys()
    {
        var api = await NewClientAsync();
        var responses = await Task.WhenAll(Enumerable.Range(0, 14).Select(i => api.PostJsonAsync("/apiKeys", new { name = $"race{i}" })));

        Assert.Equal(9, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.Equal(5, responses.Count(r => r.StatusCode == HttpStatusCode.Conflict));
        var list = await api.GetAsync("/apiKeys").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(10, list["results"]!.AsArray().Count);
    }

    [Fact]
    public async Task Create_OverlongName_Returns400()
    {
        var api = await NewClientAsync();
        await api.PostJsonAsync("/apiKeys", new { name = new string('n', 51) }).ExpectErrorAsync(HttpStatusCode.BadRequest, "50");
    }

    [Fact]
    public async Task Delete_StopsTheKeyAtOnce_ButNotTheLastOne()
    {
        var api = await NewClientAsync();
        var created = await api.PostJsonAsync("/apiKeys", new { name = "temp" }).ExpectAsync(HttpStatusCode.Created);
        var key = created["apiKey"]!.GetValue<string>();
        var keyClient = app.ClientFor(key);
        await keyClient.GetAsync("/companies").ExpectAsync(HttpStatusCode.OK); // now cached

        await api.DeleteAsync($"/apiKeys/{created["id"]}").ExpectAsync(HttpStatusCode.NoContent);

        await keyClient.GetAsync("/companies").ExpectErrorAsync(HttpStatusCode.Unauthorized);
        var last = (await api.GetAsync("/apiKeys").ExpectAsync(HttpStatusCode.OK))["results"]![0]!["id"]!.GetValue<string>();
        await api.DeleteAsync($"/apiKeys/{last}").ExpectErrorAsync(HttpStatusCode.Conflict, "last API key");
        await api.DeleteAsync($"/apiKeys/{Guid.NewGuid()}").ExpectErrorAsync(HttpStatusCode.NotFound);
    }

    /// <summary>A fresh client with one key, created the way an operator would: through bootstrap-style seeding.</summary>
    private async Task<HttpClient> NewClientAsync()
    {
        var key = ApiKeySecret.Generate();
        await app.WithDbAsync(async db =>
        {
            var client = new Core.Clients.Client { Id = Guid.CreateVersion7(), Name = "Keys " + Guid.NewGuid().ToString("N")[..6], Created = DateTime.UtcNow };
            db.Clients.Add(client);
            db.ApiKeys.Add(new Core.Clients.ApiKey
            {
                Id = Guid.CreateVersion7(), ClientId = client.Id, Hash = ApiKeySecret.Hash(key), Hint = ApiKeySecret.Hint(key), Created = DateTime.UtcNow,
            });
            return await db.SaveChangesAsync();
        });
        return app.ClientFor(key);
    }
}

public sealed class ApiKeysApiTests_Sqlite(SqliteApp app) : ApiKeysApiTests(app), IClassFixture<SqliteApp>;

public sealed class ApiKeysApiTests_Postgres(PostgresApp app) : ApiKeysApiTests(app), IClassFixture<PostgresApp>;

using System.Globalization;
using System.Net;
using System.Text.Json;
using Consentry.Sandbox.Tests.Infrastructure;

namespace Consentry.Sandbox.Tests;

/// <summary>The bearer-protected data APIs: access rules, paging, determinism and incremental reads.</summary>
public sealed class DataApiTests(SandboxApp app) : IClassFixture<SandboxApp>
{
    [Theory]
    [InlineData("sbac", "company", false)]
    [InlineData("sbac", "accounts", true)]
    [InlineData("sbac", "customers", true)]
    [InlineData("sbac", "invoices", true)]
    [InlineData("sbbk", "accounts", true)]
    [InlineData("sbbk", "balances", true)]
    [InlineData("sbbk", "transactions", true)]
    [InlineData("sbcm", "company", false)]
    [InlineData("sbcm", "customers", true)]
    [InlineData("sbcm", "products", true)]
    [InlineData("sbcm", "orders", true)]
    [InlineData("sbcm", "payments", true)]
    public async Task DataApi_EachEndpoint_AnswersWithStableIdsAndModifiedDates(string platform, string path, bool paged)
    {
        var driver = app.Driver();
        var tokens = await driver.TokensAsync(platform);

        var json = await driver.ApiJsonAsync(platform, path, tokens.AccessToken);

        var records = paged ? json.GetProperty("results").EnumerateArray().ToList() : [json];
        Assert.NotEmpty(records);
        Assert.All(records, r => Assert.True(r.GetProperty("modifiedDate").TryGetDateTime(out _)));
        Assert.All(records, r => Assert.True(r.TryGetProperty("id", out var id) || r.TryGetProperty("accountId", out id)));
        if (paged)
        {
            Assert.Equal(1, json.GetProperty("page").GetInt32());
            Assert.Equal(100, json.GetProperty("pageSize").GetInt32());
            Assert.True(json.GetProperty("totalResults").GetInt32() >= records.Count);
        }
    }

    [Fact]
    public async Task DataApi_NoToken_Returns401WithBearerChallenge()
    {
        using var response = await app.Driver().ApiAsync("sbac", "invoices", accessToken: null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Fact]
    public async Task DataApi_UnknownToken_Returns401InvalidToken()
    {
        using var response = await app.Driver().ApiAsync("sbac", "invoices", "sbac_at_forged");

        await HttpAssert.OAuthErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_token");
        Assert.Contains("error=\"invalid_token\"", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DataApi_TokenOfAnotherPlatform_Returns401()
    {
        var driver = app.Driver();
        var tokens = await driver.TokensAsync("sbac");

        using var response = await driver.ApiAsync("sbcm", "customers", tokens.AccessToken);

        await HttpAssert.OAuthErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_token");
    }

    [Fact]
    public async Task DataApi_RefreshTokenAsBearer_Returns401()
    {
        var driver = app.Driver();
        var tokens = await driver.TokensAsync("sbac");

        using var response = await driver.ApiAsync("sbac", "customers", tokens.RefreshToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task DataApi_ScopeNotGranted_Returns403InsufficientScope()
    {
        var driver = app.Driver();
        var tokens = await driver.TokensAsync("sbbk", changes: new() { ["scope"] = "banking.accounts.read" });

        using var allowed = await driver.ApiAsync("sbbk", "accounts", tokens.AccessToken);
        using var denied = await driver.ApiAsync("sbbk", "transactions", tokens.AccessToken);

        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        await HttpAssert.OAuthErrorAsync(denied, HttpStatusCode.Forbidden, "insufficient_scope");
    }

    [Fact]
    public async Task DataApi_AllPages_AddUpToTotalWithDistinctIds()
    {
        var driver = app.Driver();
        var tokens = await driver.TokensAsync("sbac");

        var ids = new List<string>();
        int total;
        var page = 1;
        do
        {
            var json = await driver.ApiJsonAsync("sbac", $"invoices?page={page}&pageSize=500", tokens.AccessToken);
            total = json.GetProperty("totalResults").GetInt32();
            var results = json.GetProperty("results").EnumerateArray().ToList();
            Assert.True(results.Count <= 500);
            ids.AddRange(results.Select(r => r.GetProperty("id").GetString()!));
            page++;
        }
        while (ids.Count < total && page < 50);

        Assert.InRange(total, 1000, 10_000);
        Assert.Equal(total, ids.Count);
        Assert.Equal(total, ids.Distinct().Count());
        var beyond = await driver.ApiJsonAsync("sbac", $"invoices?page={page}&pageSize=500", tokens.AccessToken);
        Assert.Empty(beyond.GetProperty("results").EnumerateArray());
        Assert.Equal(total, beyond.GetProperty("totalResults").GetInt32());
    }

    [Theory]
    [InlineData("pageSize=501")]
    [InlineData("pageSize=0")]
    [InlineData("page=0")]
    [InlineData("page=abc")]
    [InlineData("modifiedSince=yesterday")]
    public async Task DataApi_BadPagingOrFilter_Returns400(string query)
    {
        var driver = app.Driver();
        var tokens = await driver.TokensAsync("sbcm");

        using var response = await driver.ApiAsync("sbcm", "orders?" + query, tokens.AccessToken);

        await HttpAssert.OAuthErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task DataApi_SameUserInTwoGrants_SeesTheSameData()
    {
        var first = await app.Driver().TokensAsync("sbbk");
        var second = await app.Driver().TokensAsync("sbbk");
        Assert.NotEqual(first.AccessToken, second.AccessToken);

        var a = await app.Driver().ApiJsonAsync("sbbk", "transactions?page=3&pageSize=50", first.AccessToken);
        var b = await app.Driver().ApiJsonAsync("sbbk", "transactions?page=3&pageSize=50", second.AccessToken);

        Assert.Equal(a.GetRawText(), b.GetRawText());
    }

    [Fact]
    public async Task DataApi_ModifiedSince_ReturnsOnlyRecordsModifiedSinceThen()
    {
        var driver = app.Driver();
        var tokens = await driver.TokensAsync("sbcm");
        var all = await driver.ApiJsonAsync("sbcm", "orders?pageSize=1", tokens.AccessToken);
        const string since = "2024-10-01T00:00:00Z";

        var recent = await driver.ApiJsonAsync("sbcm", $"orders?pageSize=500&modifiedSince={since}", tokens.AccessToken);

        var total = recent.GetProperty("totalResults").GetInt32();
        Assert.InRange(total, 1, all.GetProperty("totalResults").GetInt32() - 1);
        var threshold = DateTime.Parse(since, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal);
        Assert.All(recent.GetProperty("results").EnumerateArray(), r => Assert.True(r.GetProperty("modifiedDate").GetDateTime() >= threshold));
    }

    [Fact]
    public async Task DataApi_BalancesMatchTheTransactions()
    {
        var driver = app.Driver();
        var tokens = await driver.TokensAsync("sbbk");
        var balances = (await driver.ApiJsonAsync("sbbk", "balances", tokens.AccessToken)).GetProperty("results").EnumerateArray().ToList();
        var accounts = (await driver.ApiJsonAsync("sbbk", "accounts", tokens.AccessToken)).GetProperty("results").EnumerateArray().ToList();

        Assert.Equal(accounts.Select(a => a.GetProperty("id").GetString()), balances.Select(b => b.GetProperty("accountId").GetString()));
    }
}

public sealed class DataMutationTests
{
    [Fact]
    public async Task DataApi_MutationIntervalPassed_ModifiedSinceFindsTheTouchedRecords()
    {
        await using var app = SandboxApp.With(new() { ["Sandbox:MutationInterval"] = "01:00:00", ["Sandbox:AccessTokenLifetime"] = "1.00:00:00" });
        var driver = app.Driver();
        var tokens = await driver.TokensAsync("sbac");
        var since = app.Time.GetUtcNow().UtcDateTime.ToString("O", CultureInfo.InvariantCulture);
        var all = (await driver.ApiJsonAsync("sbac", "customers?pageSize=1", tokens.AccessToken)).GetProperty("totalResults").GetInt32();
        Assert.Equal(0, await CountSinceAsync());

        app.Time.Advance(TimeSpan.FromHours(1.5));
        var afterOne = await CountSinceAsync();
        app.Time.Advance(TimeSpan.FromHours(1));
        var afterTwo = await CountSinceAsync();

        Assert.InRange(afterOne, all / 100, (all / 100) + 1);
        Assert.InRange(afterTwo, 2 * (all / 100), (2 * (all / 100)) + 2);

        async Task<int> CountSinceAsync() =>
            (await driver.ApiJsonAsync("sbac", $"customers?pageSize=1&modifiedSince={Uri.EscapeDataString(since)}", tokens.AccessToken))
            .GetProperty("totalResults").GetInt32();
    }
}

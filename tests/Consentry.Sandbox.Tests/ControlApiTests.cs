using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Consentry.Sandbox.Tests.Infrastructure;

namespace Consentry.Sandbox.Tests;

/// <summary>Test-user variants and the control API: records, rate limits, latency, token expiry, grant revocation, stats.</summary>
public sealed class ControlApiTests(SandboxApp app) : IClassFixture<SandboxApp>
{
    private static string NewUser(string baseUser = "user_good") => $"{baseUser}+{Guid.NewGuid():N}";

    [Theory]
    [InlineData(null)]
    [InlineData("wrong-secret")]
    public async Task Control_WithoutValidClientCredentials_Returns401(string? secret)
    {
        using var response = await app.Driver().ControlAsync("sbac", NewUser(), "stats", get: true, secret: secret);

        await HttpAssert.OAuthErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_client");
        Assert.Equal("Basic", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Theory]
    [InlineData("user_bad")]
    [InlineData("someone")]
    [InlineData("user_good+")]
    [InlineData("user_good+a.b")]
    public async Task Control_NotATestUser_Returns400(string username)
    {
        using var response = await app.Driver().ControlAsync("sbac", username, "stats", get: true);

        await HttpAssert.OAuthErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task Variant_SignsIn_HasItsOwnStableData()
    {
        var user = NewUser();
        var driver = app.Driver();
        var variant = await driver.TokensAsync("sbac", user);
        var again = await app.Driver().TokensAsync("sbac", user);
        var baseUser = await app.Driver().TokensAsync("sbac");

        var variantPage = await driver.ApiJsonAsync("sbac", "invoices?pageSize=5", variant.AccessToken);
        var againPage = await driver.ApiJsonAsync("sbac", "invoices?pageSize=5", again.AccessToken);
        var basePage = await driver.ApiJsonAsync("sbac", "invoices?pageSize=5", baseUser.AccessToken);

        Assert.Equal(variantPage.GetRawText(), againPage.GetRawText());
        Assert.NotEqual(Ids(variantPage), Ids(basePage));
    }

    [Fact]
    public async Task Variant_OfUserDeny_CancelsLikeTheBaseUser()
    {
        var back = await app.Driver().AuthorizeAsync("sbac", NewUser("user_deny"));

        Assert.Equal("access_denied", SandboxDriver.Query(back)["error"]);
    }

    [Fact]
    public async Task Variant_OfUserError_FailsTheTokenExchange()
    {
        var driver = app.Driver();
        using var response = await driver.ExchangeAsync("sbcm", await driver.CodeAsync("sbcm", NewUser("user_error")));

        await HttpAssert.OAuthErrorAsync(response, HttpStatusCode.InternalServerError, "server_error");
    }

    [Theory]
    [InlineData("user_good+")]
    [InlineData("user_good+has space")]
    [InlineData("user_good+a+b")]
    [InlineData("user_bad+x")]
    [InlineData("user_good+0123456789012345678901234567890123456789012345678901234567890123456789")]
    public async Task Variant_BadSuffixOrBase_IsInvalidCredentials(string username)
    {
        var driver = app.Driver();
        using var response = await driver.SubmitLoginAsync(await driver.OpenLoginAsync("sbac"), username, SandboxDriver.GoodPassword);

        Assert.Contains("Invalid credentials", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Records_AddAndChange_ShowInTotalsPagingAndModifiedSince()
    {
        var user = NewUser();
        var driver = app.Driver();
        var tokens = await driver.TokensAsync("sbac", user);
        var total = (await driver.ApiJsonAsync("sbac", "invoices?pageSize=1", tokens.AccessToken)).GetProperty("totalResults").GetInt32();
        var firstIds = Ids(await driver.ApiJsonAsync("sbac", "invoices?pageSize=5", tokens.AccessToken));

        var first = await driver.ControlJsonAsync("sbac", user, "records", new { collection = "invoices", add = 5, change = 3 });

        Assert.Equal("invoices", first.GetProperty("collection").GetString());
        Assert.Equal(total + 5, first.GetProperty("count").GetInt32());
        var added = Strings(first.GetProperty("added"));
        var changed = Strings(first.GetProperty("changed"));
        Assert.Equal(5, added.Count);
        Assert.Equal(firstIds[..3], changed);
        var at = first.GetProperty("modifiedDate").GetDateTime();

        // Totals and paging: the added records come last, in order, after the generated ones.
        var page = (total / 5) + 1;
        var last = await driver.ApiJsonAsync("sbac", $"invoices?pageSize=5&page={page}", tokens.AccessToken);
        var beyond = await driver.ApiJsonAsync("sbac", $"invoices?pageSize=5&page={page + 1}", tokens.AccessToken);
        Assert.Equal(total + 5, last.GetProperty("totalResults").GetInt32());
        Assert.Equal(added, [.. Ids(last).Concat(Ids(beyond)).Skip(total % 5)]);

        // modifiedSince finds exactly the changed and the added records, in index order.
        var since = await SinceAsync(at);
        Assert.Equal([.. changed, .. added], Ids(since));
        Assert.All(since.GetProperty("results").EnumerateArray(), r => Assert.Equal(at, r.GetProperty("modifiedDate").GetDateTime()));

        // A later change takes the next records not yet changed.
        app.Time.Advance(TimeSpan.FromSeconds(5)); // less than the 30 s access-token lifetime
        var second = await driver.ControlJsonAsync("sbac", user, "records", new { collection = "invoices", change = 2 });
        var later = second.GetProperty("modifiedDate").GetDateTime();
        Assert.True(later > at);
        Assert.Equal(firstIds[3..5], Strings(second.GetProperty("changed")));
        Assert.Equal(0, second.GetProperty("addedCount").GetInt32());
        Assert.Equal(Strings(second.GetProperty("changed")), Ids(await SinceAsync(later)));
        Assert.Equal(10, (await SinceAsync(at)).GetProperty("totalResults").GetInt32());

        async Task<JsonElement> SinceAsync(DateTime from) => await driver.ApiJsonAsync(
            "sbac", $"invoices?pageSize=500&modifiedSince={Uri.EscapeDataString(from.ToString("O", CultureInfo.InvariantCulture))}", tokens.AccessToken);
    }

    [Fact]
    public async Task Records_OtherUsers_AreUnaffected()
    {
        var user = NewUser();
        var other = NewUser();
        var driver = app.Driver();
        var otherTokens = await driver.TokensAsync("sbcm", other);
        var before = await driver.ApiJsonAsync("sbcm", "customers?pageSize=3", otherTokens.AccessToken);

        await driver.ControlJsonAsync("sbcm", user, "records", new { collection = "customers", add = 2, change = 3 });

        Assert.Equal(before.GetRawText(), (await driver.ApiJsonAsync("sbcm", "customers?pageSize=3", otherTokens.AccessToken)).GetRawText());
    }

    [Fact]
    public async Task Records_AddAMillion_CountsThemWithoutListingIds()
    {
        var user = NewUser();
        var driver = app.Driver();
        var tokens = await driver.TokensAsync("sbbk", user);
        var total = (await driver.ApiJsonAsync("sbbk", "transactions?pageSize=1", tokens.AccessToken)).GetProperty("totalResults").GetInt32();

        var json = await driver.ControlJsonAsync("sbbk", user, "records", new { collection = "transactions", add = 1_000_000 });

        Assert.Equal(total + 1_000_000, json.GetProperty("count").GetInt32());
        Assert.Equal(1_000_000, json.GetProperty("addedCount").GetInt32());
        Assert.False(json.TryGetProperty("added", out _));
        var last = await driver.ApiJsonAsync("sbbk", $"transactions?pageSize=500&page={((total + 1_000_000) / 500) + 1}", tokens.AccessToken);
        Assert.Equal(total + 1_000_000, last.GetProperty("totalResults").GetInt32());
        Assert.Equal((total + 1_000_000) % 500, last.GetProperty("results").GetArrayLength());
    }

    [Fact]
    public async Task Records_ChangeMoreThanTheCollectionHas_ChangesEachRecordOnce()
    {
        var user = NewUser();
        var driver = app.Driver();

        var first = await driver.ControlJsonAsync("sbbk", user, "records", new { collection = "accounts", change = 100 });
        var second = await driver.ControlJsonAsync("sbbk", user, "records", new { collection = "accounts", change = 1 });

        var count = first.GetProperty("count").GetInt32();
        Assert.Equal(count, first.GetProperty("changedCount").GetInt32());
        Assert.Equal(count, first.GetProperty("changed").GetArrayLength());
        Assert.Equal(0, second.GetProperty("changedCount").GetInt32());
    }

    [Theory]
    [InlineData("sbac", """{"collection":"invoices","add":-1}""")]
    [InlineData("sbac", """{"collection":"invoices","add":1000001}""")]
    [InlineData("sbac", """{"collection":"invoices","change":100001}""")]
    [InlineData("sbac", """{"add":1}""")]
    [InlineData("sbac", """{"collection":"invoices","add":"many"}""")]
    [InlineData("sbac", """not json""")]
    [InlineData("sbbk", """{"collection":"balances","change":1}""")]
    [InlineData("sbbk", """{"collection":"accounts","add":1}""")]
    [InlineData("sbcm", """{"collection":"payments","add":1}""")]
    public async Task Records_BadInput_Returns400(string platform, string body)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await app.Driver().ControlAsync(platform, NewUser(), "records", content);

        await HttpAssert.OAuthErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request");
    }

    [Theory]
    [InlineData("sbac", "transactions")]
    [InlineData("sbac", "company")]
    public async Task Records_UnknownCollection_Returns404(string platform, string collection)
    {
        using var response = await app.Driver().ControlAsync(platform, NewUser(), "records", new { collection, add = 1 });

        await HttpAssert.OAuthErrorAsync(response, HttpStatusCode.NotFound, "invalid_request");
    }

    [Fact]
    public async Task Records_WithoutJsonContentType_Returns400()
    {
        using var content = new StringContent("""{"collection":"invoices","add":1}""", Encoding.UTF8, "text/plain");
        using var response = await app.Driver().ControlAsync("sbac", NewUser(), "records", content);

        await HttpAssert.OAuthErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task RateLimit_NextRequests_Answer429WithRetryAfterThenRecover()
    {
        var user = NewUser();
        var driver = app.Driver();
        var tokens = await driver.TokensAsync("sbcm", user);

        await driver.ControlJsonAsync("sbcm", user, "rateLimit", new { requests = 2, retryAfterSeconds = 7 });

        for (var i = 0; i < 2; i++)
        {
            using var limited = await driver.ApiAsync("sbcm", "orders", tokens.AccessToken);
            await HttpAssert.OAuthErrorAsync(limited, HttpStatusCode.TooManyRequests, "rate_limited");
            Assert.Equal(TimeSpan.FromSeconds(7), limited.Headers.RetryAfter?.Delta);
        }

        using var normal = await driver.ApiAsync("sbcm", "orders", tokens.AccessToken);
        Assert.Equal(HttpStatusCode.OK, normal.StatusCode);
        var stats = await driver.ControlJsonAsync("sbcm", user, "stats", get: true);
        Assert.Equal(3, stats.GetProperty("dataRequests").GetInt64());
        Assert.Equal(2, stats.GetProperty("rateLimited").GetInt64());
    }

    [Fact]
    public async Task Failures_NextRequests_AnswerTheStatus_ThenRecover()
    {
        var user = NewUser();
        var driver = app.Driver();
        var tokens = await driver.TokensAsync("sbac", user);

        await driver.ControlJsonAsync("sbac", user, "failures", new { requests = 2, status = 502 });

        for (var i = 0; i < 2; i++)
        {
            using var failed = await driver.ApiAsync("sbac", "invoices", tokens.AccessToken);
            await HttpAssert.OAuthErrorAsync(failed, HttpStatusCode.BadGateway, "server_error");
        }

        using var normal = await driver.ApiAsync("sbac", "invoices", tokens.AccessToken);
        Assert.Equal(HttpStatusCode.OK, normal.StatusCode);
        var stats = await driver.ControlJsonAsync("sbac", user, "stats", get: true);
        Assert.Equal(2, stats.GetProperty("failed").GetInt64());
    }

    [Theory]
    [InlineData("""{"status":503}""")]
    [InlineData("""{"requests":1,"status":404}""")]
    [InlineData("""{"requests":1,"status":600}""")]
    public async Task Failures_BadInput_Returns400(string body)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await app.Driver().ControlAsync("sbac", NewUser(), "failures", content);

        await HttpAssert.OAuthErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request");
    }

    [Theory]
    [InlineData("""{"retryAfterSeconds":1}""")]
    [InlineData("""{"requests":-1}""")]
    [InlineData("""{"requests":1,"retryAfterSeconds":-1}""")]
    public async Task RateLimit_BadInput_Returns400(string body)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await app.Driver().ControlAsync("sbac", NewUser(), "rateLimit", content);

        await HttpAssert.OAuthErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task Latency_DelayedRequest_StillSucceeds()
    {
        var user = NewUser();
        var driver = app.Driver();
        var tokens = await driver.TokensAsync("sbac", user);

        var json = await driver.ControlJsonAsync("sbac", user, "latency", new { milliseconds = 20, requests = 2 });

        Assert.Equal(20, json.GetProperty("milliseconds").GetInt32());
        Assert.Equal(2, json.GetProperty("requests").GetInt32());
        for (var i = 0; i < 3; i++)
        {
            using var response = await driver.ApiAsync("sbac", "customers", tokens.AccessToken);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    [Fact]
    public async Task Latency_ClientGivesUp_RequestIsCancelledAndZeroClears()
    {
        var user = NewUser();
        var driver = app.Driver();
        var tokens = await driver.TokensAsync("sbac", user);
        await driver.ControlJsonAsync("sbac", user, "latency", new { milliseconds = 600_000 });

        using var request = new HttpRequestMessage(HttpMethod.Get, "/sandbox/sbac/api/customers");
        request.Headers.Authorization = new("Bearer", tokens.AccessToken);
        using var giveUp = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => driver.Browser.SendAsync(request, giveUp.Token));

        await driver.ControlJsonAsync("sbac", user, "latency", new { milliseconds = 0 });
        using var response = await driver.ApiAsync("sbac", "customers", tokens.AccessToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task ExpireAccessTokens_DataApiAnswers401_RefreshStillWorks()
    {
        var user = NewUser();
        var driver = app.Driver();
        var tokens = await driver.TokensAsync("sbac", user);
        var otherUser = await driver.TokensAsync("sbac", NewUser());

        var json = await driver.ControlJsonAsync("sbac", user, "expireAccessTokens");

        Assert.Equal(1, json.GetProperty("expired").GetInt32());
        using (var expired = await driver.ApiAsync("sbac", "invoices", tokens.AccessToken))
        {
            await HttpAssert.OAuthErrorAsync(expired, HttpStatusCode.Unauthorized, "invalid_token");
        }

        using (var unaffected = await driver.ApiAsync("sbac", "invoices", otherUser.AccessToken))
        {
            Assert.Equal(HttpStatusCode.OK, unaffected.StatusCode);
        }

        using var refresh = await driver.RefreshAsync("sbac", tokens.RefreshToken);
        Assert.Equal(HttpStatusCode.OK, refresh.StatusCode);
        var renewed = Tokens.From(await refresh.Content.ReadFromJsonAsync<JsonElement>());
        using var again = await driver.ApiAsync("sbac", "invoices", renewed.AccessToken);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(1, (await driver.ControlJsonAsync("sbac", user, "stats", get: true)).GetProperty("tokenRefreshes").GetInt64());
    }

    [Fact]
    public async Task RevokeGrants_EveryGrantOfTheUser_RefreshFailsAndDataApi401()
    {
        var user = NewUser();
        var driver = app.Driver();
        var first = await driver.TokensAsync("sbbk", user);
        var second = await app.Driver().TokensAsync("sbbk", user);
        var elsewhere = await app.Driver().TokensAsync("sbac", user);

        var json = await driver.ControlJsonAsync("sbbk", user, "revokeGrants");

        Assert.Equal(2, json.GetProperty("revoked").GetInt32());
        using (var refresh = await driver.RefreshAsync("sbbk", first.RefreshToken))
        {
            await HttpAssert.OAuthErrorAsync(refresh, HttpStatusCode.BadRequest, "invalid_grant");
        }

        using (var data = await driver.ApiAsync("sbbk", "accounts", second.AccessToken))
        {
            await HttpAssert.OAuthErrorAsync(data, HttpStatusCode.Unauthorized, "invalid_token");
        }

        using var otherPlatform = await driver.ApiAsync("sbac", "invoices", elsewhere.AccessToken);
        Assert.Equal(HttpStatusCode.OK, otherPlatform.StatusCode);
    }

    [Fact]
    public async Task Stats_CountPerPlatformAndUser()
    {
        var user = NewUser();
        var driver = app.Driver();
        var tokens = await driver.TokensAsync("sbac", user, new() { ["scope"] = "offline_access accounting.invoices.read" });
        Assert.Equal("""{"dataRequests":0,"tokenRefreshes":0,"rateLimited":0,"failed":0}""", (await driver.ControlJsonAsync("sbac", user, "stats", get: true)).GetRawText());

        await driver.ApiJsonAsync("sbac", "invoices", tokens.AccessToken);
        using (var noScope = await driver.ApiAsync("sbac", "customers", tokens.AccessToken))
        {
            Assert.Equal(HttpStatusCode.Forbidden, noScope.StatusCode);
        }

        using (var forged = await driver.ApiAsync("sbac", "invoices", "sbac_at_forged"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        }

        using var refresh = await driver.RefreshAsync("sbac", tokens.RefreshToken);
        using var reused = await driver.RefreshAsync("sbac", tokens.RefreshToken);

        Assert.Equal(HttpStatusCode.OK, refresh.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, reused.StatusCode);
        Assert.Equal("""{"dataRequests":2,"tokenRefreshes":1,"rateLimited":0,"failed":0}""", (await driver.ControlJsonAsync("sbac", user, "stats", get: true)).GetRawText());
        Assert.Equal(0, (await driver.ControlJsonAsync("sbcm", user, "stats", get: true)).GetProperty("dataRequests").GetInt64());
    }

    private static List<string> Ids(JsonElement page) =>
        [.. page.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("id").GetString()!)];

    private static List<string> Strings(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetString()!)];
}

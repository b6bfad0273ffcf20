using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Consentry.Api.Tests.Infrastructure;
using Consentry.Api.Tests.Sync;
using Consentry.Core.Consents;
using Consentry.Core.Persistence;
using Consentry.Core.Security;
using Consentry.Features.Consents;
using Microsoft.EntityFrameworkCore;

namespace Consentry.Api.Tests.Consents;

/// <summary>The sync host with consent expiry checked often.</summary>
public class ConsentApp(DatabaseProvider provider) : SyncApp(provider)
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings)
    {
        ["Consentry:Consents:PollMilliseconds"] = "100",
        ["Consentry:Consents:ExpiryWarning"] = "7.00:00:00",
    };
}

public sealed class SqliteConsentApp() : ConsentApp(DatabaseProvider.Sqlite);

public sealed class PostgresConsentApp() : ConsentApp(DatabaseProvider.Postgres);

/// <summary>
/// The customer lifecycle end to end over real HTTP (Link pages, the sandbox's OAuth and data API, the sync engine):
/// products and their consents, the ledger and its texts, additional consent without a new sign-in, revoking one
/// product, unlink, delete (revoked at the platform), expiry and re-consent on the same linkUrl, and the export.
/// </summary>
public abstract partial class ConsentTests(ConsentApp app) : IAsyncLifetime
{
    private readonly HttpClient _api = app.Alpha();
    private readonly string _user = "user_good+" + Guid.NewGuid().ToString("N")[..12];
    private readonly string _suffix = Guid.NewGuid().ToString("N")[..8];
    private WebhookReceiver _receiver = null!;

    public async Task InitializeAsync() => _receiver = await WebhookReceiver.StartAsync();

    public async Task DisposeAsync() => await _receiver.DisposeAsync();

    private string Lending => $"lending-{_suffix}";

    private string Spend => $"spend-{_suffix}";

    /// <summary>lending reads customers and invoices (and bank data); spend reads invoices and the chart of accounts.</summary>
    private async Task DefineProductsAsync()
    {
        await _api.PutJsonAsync($"/products/{Lending}", new { name = "Lending", dataTypes = new[] { "customers", "invoices", "banking-accounts", "banking-transactions" } })
            .ExpectAsync(HttpStatusCode.OK);
        await _api.PutJsonAsync($"/products/{Spend}", new { name = "Spend insights", dataTypes = new[] { "invoices", "chartOfAccounts" } })
            .ExpectAsync(HttpStatusCode.OK);
    }

    private async Task<string> CompanyAsync(params string[] products)
    {
        var companyId = await _api.CreateCompanyAsync("Consent Ltd", new { user = _user });
        foreach (var product in products)
        {
            using var added = await _api.PutAsync($"/companies/{companyId}/products/{product}", null);
            Assert.Equal(HttpStatusCode.NoContent, added.StatusCode);
        }

        return companyId;
    }

    /// <summary>Walks the connection's linkUrl as the customer; answers the consent text the page showed.</summary>
    private async Task<(string ConnectionId, string Shown)> LinkAsync(string companyId, string platformKey, string? linkUrl = null)
    {
        string connectionId;
        if (linkUrl is null)
        {
            var connection = await _api.PostJsonAsync($"/companies/{companyId}/connections", new { platformKey }).ExpectAsync(HttpStatusCode.OK);
            linkUrl = connection["linkUrl"]!.GetValue<string>();
            connectionId = connection["id"]!.GetValue<string>();
        }
        else
        {
            connectionId = linkUrl.Split('/')[^2];
        }

        using var browser = app.Browser();
        await browser.GoAsync(new Uri(linkUrl).PathAndQuery);
        var shown = ConsentText(browser.Html);
        await browser.SubmitAsync("handler=Continue");
        await browser.SubmitAsync("/oauth/login", new() { ["username"] = _user, ["password"] = "pass_good" });
        await browser.SubmitAsync("/oauth/consent/accept");
        var linked = await _api.GetAsync($"/companies/{companyId}/connections/{connectionId}").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Linked", linked["status"]!.GetValue<string>());
        return (connectionId, shown);
    }

    [GeneratedRegex("<div id=\"consent-text\" class=\"consent-text\">(.*?)</div>", RegexOptions.Singleline)]
    private static partial Regex ConsentTextElement();

    private static string ConsentText(string html) => WebUtility.HtmlDecode(ConsentTextElement().Match(html) is { Success: true } m ? m.Groups[1].Value : throw new InvalidOperationException("No consent text on the page."));

    private async Task<JsonArray> LedgerAsync(string companyId) =>
        (await _api.GetAsync($"/companies/{companyId}/consents").ExpectAsync(HttpStatusCode.OK))["results"]!.AsArray();

    private static bool Settled(JsonObject status, params string[] types) =>
        types.All(t => status[t]?["currentStatus"]?.GetValue<string>() is "Complete");

    [Fact]
    public async Task FirstOnboarding_WithAProduct_RecordsTheTextShown_AndReadsOnlyWhatItCovers()
    {
        await DefineProductsAsync();
        var companyId = await CompanyAsync(Lending);
        var (connectionId, shown) = await LinkAsync(companyId, "sbac");

        Assert.Contains("Lending: Customers, Invoices", shown, StringComparison.Ordinal);
        Assert.DoesNotContain("chartOfAccounts", shown, StringComparison.Ordinal);
        var status = await app.WaitForDataStatusAsync(companyId, s => Settled(s, "customers", "invoices"));
        Assert.Equal(["customers", "invoices"], status.AsObject().Select(p => p.Key).Order());

        var record = Assert.Single(await LedgerAsync(companyId))!;
        Assert.Equal(("Granted", Lending, "Customer", connectionId), (record["action"]!.GetValue<string>(), record["productIdentifier"]!.GetValue<string>(),
            record["actor"]!.GetValue<string>(), record["connectionId"]!.GetValue<string>()));
        Assert.Equal(shown, record["text"]!.GetValue<string>());
        Assert.Equal(Consentry.Features.Link.ConsentTextWriter.HashOf(shown), record["textHash"]!.GetValue<string>());
        Assert.Equal(1, record["textVersion"]!.GetValue<int>());
        Assert.Equal(["customers", "invoices"], record["dataTypes"]!.AsArray().Select(t => t!.GetValue<string>()).Order());
        Assert.False(string.IsNullOrEmpty(record["ipAddress"]?.GetValue<string>()));

        var company = await _api.GetAsync($"/companies/{companyId}").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal([Lending], company["products"]!.AsArray().Select(p => p!.GetValue<string>()));
        var refused = await _api.PostAsync($"/companies/{companyId}/data/queue/chartOfAccounts?connectionId={connectionId}", null);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("No active consent covers chartOfAccounts", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task NewProductNeedingAnotherPlatform_ItsConnectionIsConsentedForEveryProductItServes()
    {
        await DefineProductsAsync();
        var companyId = await CompanyAsync(Spend);
        var (accounting, _) = await LinkAsync(companyId, "sbac");
        await app.WaitForDataStatusAsync(companyId, s => Settled(s, "invoices", "chartOfAccounts"));

        // The company moves onto lending, which also needs a bank: the customer connects one in the company Link.
        (await _api.PutAsync($"/companies/{companyId}/products/{Lending}", null)).EnsureSuccessStatusCode();
        using var browser = app.Browser();
        await browser.GoAsync($"/link/company/{companyId}?step=connect&additional=later");
        await browser.SubmitAsync("handler=Choose", new() { ["platformKey"] = "sbbk" });
        var shown = ConsentText(browser.Html);
        Assert.Contains("Lending: Bank accounts, Bank transactions", shown, StringComparison.Ordinal);
        Assert.DoesNotContain("Spend insights", shown, StringComparison.Ordinal); // the bank serves none of spend's data
        await browser.SubmitAsync("handler=Authorize");
        await browser.SubmitAsync("/oauth/login", new() { ["username"] = _user, ["password"] = "pass_good" });
        await browser.SubmitAsync("/oauth/consent/accept");

        var ledger = await LedgerAsync(companyId);
        var bank = ledger.Single(r => r!["platformKey"]!.GetValue<string>() == "sbbk")!;
        Assert.Equal((Lending, shown), (bank["productIdentifier"]!.GetValue<string>(), bank["text"]!.GetValue<string>()));
        var bankConnection = bank["connectionId"]!.GetValue<string>();
        await app.WaitForDataStatusAsync(companyId, s => Settled(s, "invoices", "chartOfAccounts", "banking-accounts", "banking-transactions"));
        // The accounting connection still awaits lending's additional consent (customers), and is not read for it yet.
        var pending = await _api.GetAsync($"/companies/{companyId}/connections/{accounting}/consents").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(Lending, Assert.Single(pending["pending"]!.AsArray())!["productIdentifier"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.BadRequest, (await _api.PostAsync($"/companies/{companyId}/data/queue/customers", null)).StatusCode);
        Assert.NotEqual(accounting, bankConnection);
    }

    [Fact]
    public async Task WithoutProducts_OneGeneralConsentCoversThePlatform_AndReadsFollowTheSyncSettings()
    {
        var companyId = await CompanyAsync();
        var (_, shown) = await LinkAsync(companyId, "sbac");

        await app.WaitForDataStatusAsync(companyId, s => Settled(s, "company", "chartOfAccounts", "customers", "invoices"));
        var record = Assert.Single(await LedgerAsync(companyId))!;
        Assert.Null(record["productIdentifier"]);
        Assert.Equal(shown, record["text"]!.GetValue<string>());
        Assert.Contains("Data shared: Company profile, Chart of accounts", shown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AdditionalConsent_ForANewProduct_StartsItsReadsWithoutANewSignIn()
    {
        await DefineProductsAsync();
        var companyId = await CompanyAsync(Lending);
        var (connectionId, _) = await LinkAsync(companyId, "sbac");
        await app.WaitForDataStatusAsync(companyId, s => Settled(s, "customers", "invoices"));
        await _api.PostJsonAsync("/webhooks", new { url = _receiver.Url(), eventTypes = new[] { "company.product.added" }, companyTags = new[] { $"user:{_user}" } })
            .ExpectAsync(HttpStatusCode.Created);

        using (var added = await _api.PutAsync($"/companies/{companyId}/products/{Spend}", null))
        {
            Assert.Equal(HttpStatusCode.NoContent, added.StatusCode);
        }

        var productEvent = Assert.Single(await _receiver.WaitForAsync(r => r.Count >= 1))!.Json;
        Assert.Equal(Spend, productEvent["payload"]!["productId"]!.GetValue<string>());
        Assert.Equal([Lending, Spend], productEvent["payload"]!["products"]!.AsArray().Select(p => p!.GetValue<string>()).Order());
        var consents = await _api.GetAsync($"/companies/{companyId}/connections/{connectionId}/consents").ExpectAsync(HttpStatusCode.OK);
        var pending = Assert.Single(consents["pending"]!.AsArray())!;
        Assert.Equal(Spend, pending["productIdentifier"]!.GetValue<string>());
        Assert.Equal(["chartOfAccounts", "invoices"], pending["dataTypes"]!.AsArray().Select(t => t!.GetValue<string>()).Order());
        // Until the customer confirms, the new product's data is not read.
        Assert.Equal(HttpStatusCode.BadRequest, (await _api.PostAsync($"/companies/{companyId}/data/queue/chartOfAccounts", null)).StatusCode);
        var loginsBefore = await app.WithDbAsync(db => db.OAuthFlows.IgnoreQueryFilters().CountAsync(f => f.ConnectionId == Guid.Parse(connectionId)));

        using var browser = app.Browser();
        await browser.GoAsync($"/link/company/{companyId}?step=connect");
        Assert.Contains("Confirm you are happy to share additional data", browser.Html, StringComparison.Ordinal);
        var shown = ConsentText(browser.Html);
        Assert.Contains("Spend insights: Invoices, Chart of accounts", shown, StringComparison.Ordinal);
        await browser.SubmitAsync("handler=Additional");

        await app.WaitForDataStatusAsync(companyId, s => Settled(s, "customers", "invoices", "chartOfAccounts"));
        var granted = (await LedgerAsync(companyId)).Last()!;
        Assert.Equal(("Granted", Spend, shown), (granted["action"]!.GetValue<string>(), granted["productIdentifier"]!.GetValue<string>(), granted["text"]!.GetValue<string>()));
        Assert.Equal(loginsBefore, await app.WithDbAsync(db => db.OAuthFlows.IgnoreQueryFilters().CountAsync(f => f.ConnectionId == Guid.Parse(connectionId))));
        Assert.Empty((await _api.GetAsync($"/companies/{companyId}/connections/{connectionId}/consents").ExpectAsync(HttpStatusCode.OK))["pending"]!.AsArray());
    }

    [Fact]
    public async Task RevokeOneProduct_ShowsItsImpactFirst_ThenStopsOnlyTheDataNoOtherProductNeeds()
    {
        await DefineProductsAsync();
        var companyId = await CompanyAsync(Lending, Spend);
        var (connectionId, shown) = await LinkAsync(companyId, "sbac");
        Assert.Contains("Spend insights: Invoices, Chart of accounts", shown, StringComparison.Ordinal);
        await app.WaitForDataStatusAsync(companyId, s => Settled(s, "customers", "invoices", "chartOfAccounts"));

        var impact = await _api.GetAsync($"/companies/{companyId}/connections/{connectionId}/impact?action=revoke&productIdentifier={Spend}").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(["chartOfAccounts"], impact["dataTypesStopped"]!.AsArray().Select(t => t!.GetValue<string>()));
        var disconnect = await _api.GetAsync($"/companies/{companyId}/connections/{connectionId}/impact?action=unlink").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal([Lending, Spend], disconnect["products"]!.AsArray().Select(p => p!.GetValue<string>()));

        var revoked = await _api.DeleteAsync($"/companies/{companyId}/connections/{connectionId}/consents/{Spend}").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(["chartOfAccounts"], revoked["dataTypesStopped"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.BadRequest, (await _api.PostAsync($"/companies/{companyId}/data/queue/chartOfAccounts", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _api.PostAsync($"/companies/{companyId}/data/queue/invoices", null)).StatusCode);
        var schedules = await app.WithDbAsync(db => db.SyncSchedules.IgnoreQueryFilters().Where(s => s.ConnectionId == Guid.Parse(connectionId))
            .ToDictionaryAsync(s => s.DataType, s => s.NextSyncAt));
        Assert.Equal(ConsentLedger.NoConsent, schedules["chartOfAccounts"]);
        Assert.True(schedules["invoices"] < ConsentLedger.NoConsent);
        Assert.Equal(HttpStatusCode.OK, (await _api.GetAsync($"/companies/{companyId}/data/accounts")).StatusCode); // the cache stays readable
        var last = (await LedgerAsync(companyId)).Last()!;
        Assert.Equal(("Revoked", Spend, "App"), (last["action"]!.GetValue<string>(), last["productIdentifier"]!.GetValue<string>(), last["actor"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.NotFound, (await _api.DeleteAsync($"/companies/{companyId}/connections/{connectionId}/consents/{Spend}")).StatusCode);

        // Removing the product from the company revokes what is left of it: here lending's.
        using var removed = await _api.DeleteAsync($"/companies/{companyId}/products/{Lending}");
        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await _api.PostAsync($"/companies/{companyId}/data/queue/invoices", null)).StatusCode);
    }

    [Fact]
    public async Task CompanyScopedApi_WithTheAccessToken_ShowsConsents_RevokesAsTheCustomer_AndConfirmsAdditionalConsent()
    {
        await DefineProductsAsync();
        var companyId = await CompanyAsync(Lending);
        var (connectionId, _) = await LinkAsync(companyId, "sbac");
        (await _api.PutAsync($"/companies/{companyId}/products/{Spend}", null)).EnsureSuccessStatusCode();
        var token = (await _api.GetAsync($"/companies/{companyId}/accessToken").ExpectAsync(HttpStatusCode.OK))["accessToken"]!.GetValue<string>();
        using var customer = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };
        customer.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        customer.DefaultRequestHeaders.Add("Origin", app.BaseUrl);

        var listed = Assert.Single((await customer.GetAsync($"/link/api/companies/{companyId}/connections").ExpectAsync(HttpStatusCode.OK)).AsArray())!;
        Assert.Equal(Lending, Assert.Single(listed["consents"]!.AsArray())!["productIdentifier"]!.GetValue<string>());
        Assert.Equal(Spend, Assert.Single(listed["pending"]!.AsArray())!["productIdentifier"]!.GetValue<string>());
        Assert.Equal([Lending], listed["impact"]!["products"]!.AsArray().Select(p => p!.GetValue<string>()));

        // Additional consent from the SDK: no text, no consent; with the text it showed, granted and recorded.
        await customer.PostJsonAsync($"/link/api/companies/{companyId}/connections/{connectionId}/consents", new { }).ExpectErrorAsync(HttpStatusCode.BadRequest);
        var confirmed = await customer.PostJsonAsync($"/link/api/companies/{companyId}/connections/{connectionId}/consents",
            new { consentText = "Share invoices and the chart of accounts for Spend insights too." }).ExpectAsync(HttpStatusCode.OK);
        Assert.Empty(confirmed["pending"]!.AsArray());
        var granted = (await LedgerAsync(companyId)).Last()!;
        Assert.Equal((Spend, "Customer", "Share invoices and the chart of accounts for Spend insights too."),
            (granted["productIdentifier"]!.GetValue<string>(), granted["actor"]!.GetValue<string>(), granted["text"]!.GetValue<string>()));
        await app.WaitForDataStatusAsync(companyId, s => Settled(s, "customers", "invoices", "chartOfAccounts"));

        var impact = await customer.GetAsync($"/link/api/companies/{companyId}/connections/{connectionId}/impact?action=revoke&productIdentifier={Lending}").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(["customers"], impact["dataTypesStopped"]!.AsArray().Select(t => t!.GetValue<string>()));
        var revoked = await customer.DeleteAsync($"/link/api/companies/{companyId}/connections/{connectionId}/consents/{Lending}").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(["customers"], revoked["dataTypesStopped"]!.AsArray().Select(t => t!.GetValue<string>()));
        var last = (await LedgerAsync(companyId)).Last()!;
        Assert.Equal(("Revoked", Lending, "Customer"), (last["action"]!.GetValue<string>(), last["productIdentifier"]!.GetValue<string>(), last["actor"]!.GetValue<string>()));

        // Another company's token cannot touch this company.
        var otherCompany = await CompanyAsync();
        var otherToken = (await _api.GetAsync($"/companies/{otherCompany}/accessToken").ExpectAsync(HttpStatusCode.OK))["accessToken"]!.GetValue<string>();
        using var other = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };
        other.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", otherToken);
        Assert.Equal(HttpStatusCode.Unauthorized, (await other.DeleteAsync($"/link/api/companies/{companyId}/connections/{connectionId}/consents/{Spend}")).StatusCode);
    }

    [Fact]
    public async Task Unlink_KeepsDataAndStopsReads_Delete_RevokesAtThePlatformAndDeletesData_TheLedgerOutlivesBoth()
    {
        var companyId = await CompanyAsync();
        var (connectionId, _) = await LinkAsync(companyId, "sbac");
        await app.WaitForDataStatusAsync(companyId, s => Settled(s, "invoices"));
        var refreshToken = await app.WithDbAsync(async db => app.Service<SecretProtector>().Unprotect(
            (await db.ConnectionTokens.IgnoreQueryFilters().SingleAsync(t => t.ConnectionId == Guid.Parse(connectionId))).ProtectedRefreshToken!));

        await _api.PatchJsonAsync($"/companies/{companyId}/connections/{connectionId}", new { status = "Unlinked" }).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.OK, (await _api.GetAsync($"/companies/{companyId}/data/invoices")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await _api.PostAsync($"/companies/{companyId}/data/queue/invoices", null)).StatusCode);
        Assert.Equal("Revoked", (await LedgerAsync(companyId)).Last()!["action"]!.GetValue<string>());

        await _api.DeleteAsync($"/companies/{companyId}/connections/{connectionId}").ExpectAsync(HttpStatusCode.OK);
        using var refresh = await SandboxTokenAsync("sbac", refreshToken);
        Assert.Equal(HttpStatusCode.BadRequest, refresh.StatusCode);
        Assert.Contains("invalid_grant", await refresh.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await app.WithDbAsync(db => db.Records.IgnoreQueryFilters().CountAsync(r => r.ConnectionId == Guid.Parse(connectionId))));

        using var deleted = await _api.DeleteAsync($"/companies/{companyId}");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        var ledger = await LedgerAsync(companyId);
        Assert.Equal(["Granted", "Revoked"], ledger.Select(r => r!["action"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Continue_StoresTheAgreedText_WithTheSignInItStarts()
    {
        // A company name of its own: the text names the company, and texts are kept once per hash for every test.
        var companyId = await _api.CreateCompanyAsync($"Continue {_suffix} Ltd", new { user = _user });
        var connection = await _api.PostJsonAsync($"/companies/{companyId}/connections", new { platformKey = "sbac" }).ExpectAsync(HttpStatusCode.OK);
        var connectionId = Guid.Parse(connection["id"]!.GetValue<string>());
        using var browser = app.Browser();
        await browser.GoAsync(new Uri(connection["linkUrl"]!.GetValue<string>()).PathAndQuery);
        var hash = Consentry.Features.Link.ConsentTextWriter.HashOf(ConsentText(browser.Html));
        Assert.False(await app.WithDbAsync(db => db.ConsentTexts.AnyAsync(t => t.Hash == hash)));

        // Continue: the platform's sign-in page, not yet signed in. The flow and the text it carries are both committed.
        await browser.SubmitAsync("handler=Continue");
        var flow = await app.WithDbAsync(db => db.OAuthFlows.IgnoreQueryFilters().AsNoTracking().SingleAsync(f => f.ConnectionId == connectionId));
        Assert.Equal(hash, flow.Consent!.TextHash);
        var text = await app.WithDbAsync(db => db.ConsentTexts.AsNoTracking().SingleAsync(t => t.Hash == hash));
        Assert.Equal(hash, Consentry.Features.Link.ConsentTextWriter.HashOf(text.Text));
    }

    [Fact]
    public async Task Ledger_IsAppendOnly_InTheDatabase()
    {
        var companyId = await CompanyAsync();
        await LinkAsync(companyId, "sbac");
        var id = Guid.Parse((await LedgerAsync(companyId))[0]!["id"]!.GetValue<string>());

        await Assert.ThrowsAnyAsync<Exception>(() => app.WithDbAsync(db => db.Database.ExecuteSqlInterpolatedAsync($"""UPDATE consent_records SET "Reason" = 'edited' WHERE "Id" = {id}""")));
        await Assert.ThrowsAnyAsync<Exception>(() => app.WithDbAsync(db => db.Database.ExecuteSqlInterpolatedAsync($"""DELETE FROM consent_records WHERE "Id" = {id}""")));
        await Assert.ThrowsAnyAsync<Exception>(() => app.WithDbAsync(db => db.Database.ExecuteSqlRawAsync("""UPDATE consent_texts SET "Text" = 'edited'""")));
        await Assert.ThrowsAnyAsync<Exception>(() => app.WithDbAsync(async db =>
        {
            var record = await db.ConsentRecords.IgnoreQueryFilters().SingleAsync(r => r.Id == id);
            record.Action = ConsentAction.Revoked;
            db.ChangeTracker.Entries<ConsentRecord>().Single().Property(r => r.ClientId).IsModified = false;
            return await db.SaveChangesAsync();
        }));
        var record = Assert.Single(await LedgerAsync(companyId))!;
        Assert.Equal(("Granted", (string?)null), (record["action"]!.GetValue<string>(), record["reason"]?.GetValue<string>()));
    }

    [Fact]
    public async Task BankingConsent_WarnsBeforeItExpires_Deauthorizes_AndTheSameLinkUrlReconsents()
    {
        await _api.PostJsonAsync("/webhooks", new
        {
            url = _receiver.Url(),
            eventTypes = new[] { "connection.consent.expiring", "connection.disconnected", "connection.reconnected" },
            companyTags = new[] { $"user:{_user}" },
        }).ExpectAsync(HttpStatusCode.Created);
        var companyId = await CompanyAsync();
        var (connectionId, _) = await LinkAsync(companyId, "sbbk");
        var consents = await _api.GetAsync($"/companies/{companyId}/connections/{connectionId}/consents").ExpectAsync(HttpStatusCode.OK);
        var expiresAt = consents["consentExpiresAt"]!.GetValue<DateTime>().ToUniversalTime();
        Assert.InRange(expiresAt - app.Time.GetUtcNow().UtcDateTime, TimeSpan.FromDays(89), TimeSpan.FromDays(91));

        app.Time.Advance(expiresAt - app.Time.GetUtcNow().UtcDateTime - TimeSpan.FromDays(6));
        var warned = await _receiver.WaitForAsync(r => r.Any(e => e.Json["eventType"]!.GetValue<string>() == "connection.consent.expiring"));
        Assert.Equal(connectionId, warned.Single(e => e.Json["eventType"]!.GetValue<string>() == "connection.consent.expiring").Json["payload"]!["connection"]!["id"]!.GetValue<string>());
        Assert.Equal("Linked", (await _api.GetAsync($"/companies/{companyId}/connections/{connectionId}").ExpectAsync(HttpStatusCode.OK))["status"]!.GetValue<string>());

        app.Time.Advance(TimeSpan.FromDays(7));
        await _receiver.WaitForAsync(r => r.Any(e => e.Json["eventType"]!.GetValue<string>() == "connection.disconnected"));
        Assert.Equal("Deauthorized", (await _api.GetAsync($"/companies/{companyId}/connections/{connectionId}").ExpectAsync(HttpStatusCode.OK))["status"]!.GetValue<string>());
        Assert.Equal(["Granted", "Expired"], (await LedgerAsync(companyId)).Select(r => r!["action"]!.GetValue<string>()));
        // Delivered at least once (moving the clock can expire a delivery's lease and send it again), but generated once.
        Assert.Single(_receiver.Received.Where(e => e.Json["eventType"]!.GetValue<string>() == "connection.consent.expiring").Select(e => e.Json["id"]!.GetValue<string>()).Distinct());

        var linkUrl = $"{app.BaseUrl}/link/companies/{companyId}/connections/{connectionId}/start";
        var (again, _) = await LinkAsync(companyId, "sbbk", linkUrl);
        Assert.Equal(connectionId, again);
        await _receiver.WaitForAsync(r => r.Any(e => e.Json["eventType"]!.GetValue<string>() == "connection.reconnected"));
        Assert.Equal(["Granted", "Expired", "Granted"], (await LedgerAsync(companyId)).Select(r => r!["action"]!.GetValue<string>()));
        var renewed = await _api.GetAsync($"/companies/{companyId}/connections/{connectionId}/consents").ExpectAsync(HttpStatusCode.OK);
        Assert.True(renewed["consentExpiresAt"]!.GetValue<DateTime>().ToUniversalTime() > app.Time.GetUtcNow().UtcDateTime.AddDays(80));
    }

    [Fact]
    public async Task Export_ContainsExactlyWhatIsStoredAboutTheCompany_WithoutSecrets()
    {
        await DefineProductsAsync();
        var companyId = await CompanyAsync(Lending);
        var (connectionId, _) = await LinkAsync(companyId, "sbac");
        await app.WaitForDataStatusAsync(companyId, s => Settled(s, "customers", "invoices"));
        var other = await CompanyAsync(Lending);

        var export = await _api.GetAsync($"/companies/{companyId}/export").ExpectAsync(HttpStatusCode.OK);
        var tables = export["tables"]!.AsObject();
        var id = Guid.Parse(companyId);
        var connections = new List<Guid> { Guid.Parse(connectionId) };
        var expected = await app.WithDbAsync(async db =>
        {
            var counts = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var entity in CompanyExport.AboutACompany(db.Model))
            {
                var table = entity.GetTableName()!;
                var column = entity.ClrType == typeof(Core.Companies.Company) ? "Id" : entity.FindProperty("CompanyId") is not null ? "CompanyId" : "ConnectionId";
                var value = column == "ConnectionId" ? connections[0] : id;
                // Table and column names come from the EF model, not from input.
#pragma warning disable EF1002
                counts[table] = await db.Database.SqlQueryRaw<int>($"SELECT COUNT(*) AS \"Value\" FROM \"{table}\" WHERE \"{column}\" = {{0}}", value).SingleAsync();
#pragma warning restore EF1002
            }

            return counts;
        });
        foreach (var (table, count) in expected)
        {
            Assert.True(tables.ContainsKey(table), $"the export has no {table}");
            Assert.Equal((table, count), (table, tables[table]!.AsArray().Count));
        }

        Assert.True(expected["records"] > 0 && expected["consent_records"] == 1 && expected["connection_tokens"] == 1);
        Assert.Single(tables["consent_texts"]!.AsArray());
        var accessToken = await app.WithDbAsync(async db => app.Service<SecretProtector>().Unprotect(
            (await db.ConnectionTokens.IgnoreQueryFilters().SingleAsync(t => t.ConnectionId == connections[0])).ProtectedAccessToken));
        var json = export.ToJsonString();
        Assert.DoesNotContain(accessToken, json, StringComparison.Ordinal);
        Assert.Equal(CompanyExport.Withheld, tables["connection_tokens"]![0]!["ProtectedAccessToken"]!.GetValue<string>());
        Assert.DoesNotContain(other, json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeleteDataOfOneType_RemovesOnlyThatType()
    {
        var companyId = await CompanyAsync();
        await LinkAsync(companyId, "sbac");
        await app.WaitForDataStatusAsync(companyId, s => Settled(s, "customers", "invoices"));

        using var deleted = await _api.DeleteAsync($"/companies/{companyId}/data/invoices");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(0, (await _api.GetAsync($"/companies/{companyId}/data/invoices").ExpectAsync(HttpStatusCode.OK))["totalResults"]!.GetValue<int>());
        Assert.True((await _api.GetAsync($"/companies/{companyId}/data/customers").ExpectAsync(HttpStatusCode.OK))["totalResults"]!.GetValue<int>() > 0);
        await _api.DeleteAsync($"/companies/{companyId}/data/nonsense").ExpectErrorAsync(HttpStatusCode.BadRequest);
        await _api.DeleteAsync($"/companies/{Guid.NewGuid()}/data/invoices").ExpectErrorAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task CodatsProductIdentifiers_ArePredefined_UsableAtOnce_ChangeableButNotDeletable()
    {
        // A Codat app adds Codat's own products to a company without defining them first.
        var companyId = await CompanyAsync("lending", "bank-feeds");
        var company = await _api.GetAsync($"/companies/{companyId}").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(["bank-feeds", "lending"], company["products"]!.AsArray().Select(p => p!.GetValue<string>()));

        var listed = (await _api.GetAsync("/products").ExpectAsync(HttpStatusCode.OK))["results"]!.AsArray().Select(p => p!["identifier"]!.GetValue<string>()).ToList();
        Assert.Superset(new HashSet<string> { "lending", "bank-feeds", "payables", "expenses" }, listed.ToHashSet());
        var lending = await _api.GetAsync("/products/lending").ExpectAsync(HttpStatusCode.OK);
        Assert.Contains("banking-transactions", lending["dataTypes"]!.AsArray().Select(t => t!.GetValue<string>()));

        // Changeable like any product; never deletable (another client's copy is its own).
        var payables = await _api.PutJsonAsync("/products/payables", new { name = "Payables", dataTypes = new[] { "bills", "suppliers" } }).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(["bills", "suppliers"], payables["dataTypes"]!.AsArray().Select(t => t!.GetValue<string>()));
        await _api.DeleteAsync("/products/expenses").ExpectErrorAsync(HttpStatusCode.Conflict, "one of Codat's products");
        using var beta = app.Beta();
        var theirs = await beta.GetAsync("/products/payables").ExpectAsync(HttpStatusCode.OK);
        Assert.Contains("billPayments", theirs["dataTypes"]!.AsArray().Select(t => t!.GetValue<string>()));
    }

    [Fact]
    public async Task Products_BadInput_GetsCodatErrors()
    {
        await DefineProductsAsync();
        await _api.PutJsonAsync("/products/Bad Id", new { name = "x", dataTypes = new[] { "invoices" } }).ExpectErrorAsync(HttpStatusCode.BadRequest);
        await _api.PutJsonAsync($"/products/x-{_suffix}", new { name = "x", dataTypes = new[] { "nonsense" } }).ExpectErrorAsync(HttpStatusCode.BadRequest);
        await _api.PutJsonAsync($"/products/x-{_suffix}", new { name = "", dataTypes = new[] { "invoices" } }).ExpectErrorAsync(HttpStatusCode.BadRequest);
        await _api.PutJsonAsync($"/products/x-{_suffix}", new { name = "x" }).ExpectErrorAsync(HttpStatusCode.BadRequest);
        var companyId = await CompanyAsync(Lending);
        await _api.DeleteAsync($"/products/{Lending}").ExpectErrorAsync(HttpStatusCode.Conflict);
        await _api.PutAsync($"/companies/{companyId}/products/unknown-{_suffix}", null).ExpectErrorAsync(HttpStatusCode.NotFound);
        await _api.DeleteAsync($"/companies/{companyId}/products/{Spend}").ExpectErrorAsync(HttpStatusCode.NotFound);
        await _api.GetAsync($"/products/unknown-{_suffix}").ExpectErrorAsync(HttpStatusCode.NotFound);
        using var beta = app.Beta();
        await beta.GetAsync($"/products/{Lending}").ExpectErrorAsync(HttpStatusCode.NotFound);
        await beta.GetAsync($"/companies/{companyId}/consents").ExpectErrorAsync(HttpStatusCode.NotFound);
        await beta.GetAsync($"/companies/{companyId}/export").ExpectErrorAsync(HttpStatusCode.NotFound);
    }

    private async Task<HttpResponseMessage> SandboxTokenAsync(string platformKey, string refreshToken)
    {
        using var http = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/sandbox/{platformKey}/oauth/token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "refresh_token", ["refresh_token"] = refreshToken }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("consentry-local:consentry-local-secret")));
        return await http.SendAsync(request);
    }
}

public sealed class ConsentTests_Sqlite(SqliteConsentApp app) : ConsentTests(app), IClassFixture<SqliteConsentApp>;

public sealed class ConsentTests_Postgres(PostgresConsentApp app) : ConsentTests(app), IClassFixture<PostgresConsentApp>;

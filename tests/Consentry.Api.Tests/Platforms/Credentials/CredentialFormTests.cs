using System.Net;
using Consentry.Api.Tests.Infrastructure;
using Consentry.Core.Connections;
using Consentry.Core.Consents;
using Consentry.Core.Security;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;

namespace Consentry.Api.Tests.Platforms.Credentials;

/// <summary>
/// The credential form on the Link page, for Stripe's restricted keys: offered beside "Continue to Stripe", checked at
/// Stripe before anything is stored; a wrong key is refused with a clear message and nothing kept; the right key links
/// the connection exactly as OAuth does (encrypted, consents, webhook) and the customer goes back to the app. The key
/// never appears in a page, a log line or an API answer.
/// </summary>
public abstract class CredentialFormTests(CredentialsApp app)
{
    [Fact]
    public async Task StartPage_OffersTheKeyBesideSignIn_AndTheFormIsDescribedByTheCatalogue()
    {
        var (_, _, linkPath) = await app.NewStripeConnectionAsync();
        using var browser = app.Browser();

        await browser.GoAsync(linkPath);
        Assert.Contains("Continue to Stripe", browser.Html, StringComparison.Ordinal);
        var credentialsPath = linkPath.Replace("/start", "/credentials", StringComparison.Ordinal);
        Assert.Contains($"href=\"{credentialsPath}\"", browser.Html, StringComparison.Ordinal);
        Assert.Contains("Use a restricted API key", browser.Html, StringComparison.Ordinal);

        await browser.GoAsync(credentialsPath);
        Assert.Equal(HttpStatusCode.OK, browser.Status);
        Assert.Contains("<label for=\"field-0\">Restricted API key</label>", browser.Html, StringComparison.Ordinal);
        Assert.Matches("<input type=\"password\" id=\"field-0\" name=\"apiKey\"[^>]*required=\"required\"[^>]*pattern=\"\\^rk_", browser.Html);
        Assert.Contains("aria-describedby=\"field-0-help\"", browser.Html, StringComparison.Ordinal);
        Assert.Contains("id=\"consent-text\"", browser.Html, StringComparison.Ordinal);
        Assert.Contains("__RequestVerificationToken", browser.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WrongKey_RefusedWithAClearMessage_AndNothingIsStored()
    {
        var (companyId, connectionId, linkPath) = await app.NewStripeConnectionAsync();
        using var browser = app.Browser();
        await browser.GoAsync(linkPath.Replace("/start", "/credentials", StringComparison.Ordinal));
        var wrongKey = "rk_test_51Wrong" + Guid.NewGuid().ToString("N");

        await browser.SubmitAsync("handler=Link", new() { ["apiKey"] = wrongKey });

        Assert.Equal(HttpStatusCode.BadRequest, browser.Status);
        Assert.Contains("role=\"alert\">Stripe did not accept this key.", browser.Html, StringComparison.Ordinal);
        Assert.DoesNotContain(wrongKey, browser.Html, StringComparison.Ordinal);
        Assert.Contains(wrongKey, app.KeysChecked);
        Assert.Equal(ConnectionStatus.PendingAuth, await StatusAsync(connectionId));
        Assert.False(await app.WithDbAsync(db => db.ConnectionTokens.IgnoreQueryFilters().AnyAsync(t => t.ConnectionId == Guid.Parse(connectionId))));
        Assert.DoesNotContain(app.Logs.Lines, l => l.Contains(wrongKey, StringComparison.Ordinal));

        // The form is there again, empty, to try once more.
        Assert.Contains("name=\"apiKey\"", browser.Html, StringComparison.Ordinal);
        Assert.Contains("value=\"\"", browser.Html, StringComparison.Ordinal);
        Assert.Equal("PendingAuth", (await app.Alpha().GetAsync($"/companies/{companyId}/connections/{connectionId}").ExpectAsync(HttpStatusCode.OK))["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task KeyWithoutPermission_OrStripeDown_RefusedAndNothingStored()
    {
        var (_, connectionId, linkPath) = await app.NewStripeConnectionAsync();
        using var browser = app.Browser();
        await browser.GoAsync(linkPath.Replace("/start", "/credentials", StringComparison.Ordinal));

        await browser.SubmitAsync("handler=Link", new() { ["apiKey"] = CredentialsApp.ForbiddenKey });
        Assert.Equal(HttpStatusCode.BadRequest, browser.Status);
        Assert.Contains("may not read your account", browser.Html, StringComparison.Ordinal);

        await browser.SubmitAsync("handler=Link", new() { ["apiKey"] = CredentialsApp.DownKey });
        Assert.Equal(HttpStatusCode.ServiceUnavailable, browser.Status);
        Assert.Contains("Try again in a moment", browser.Html, StringComparison.Ordinal);

        Assert.Equal(ConnectionStatus.PendingAuth, await StatusAsync(connectionId));
        Assert.False(await app.WithDbAsync(db => db.ConnectionTokens.IgnoreQueryFilters().AnyAsync(t => t.ConnectionId == Guid.Parse(connectionId))));
        Assert.DoesNotContain(CredentialsApp.ForbiddenKey, browser.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MalformedKey_RefusedByThePattern_WithoutAskingStripe()
    {
        var (_, connectionId, linkPath) = await app.NewStripeConnectionAsync();
        using var browser = app.Browser();
        await browser.GoAsync(linkPath.Replace("/start", "/credentials", StringComparison.Ordinal));
        var secretKey = "sk_live_51" + Guid.NewGuid().ToString("N");

        await browser.SubmitAsync("handler=Link", new() { ["apiKey"] = secretKey });

        Assert.Equal(HttpStatusCode.BadRequest, browser.Status);
        Assert.Contains("id=\"field-0-error\" class=\"error\" role=\"alert\">This does not look like a Restricted API key.", browser.Html, StringComparison.Ordinal);
        Assert.Contains("aria-describedby=\"field-0-help field-0-error\"", browser.Html, StringComparison.Ordinal);
        Assert.Contains("aria-invalid=\"true\"", browser.Html, StringComparison.Ordinal);
        Assert.DoesNotContain(secretKey, browser.Html, StringComparison.Ordinal);
        Assert.DoesNotContain(secretKey, app.KeysChecked);
        Assert.Equal(ConnectionStatus.PendingAuth, await StatusAsync(connectionId));

        await browser.SubmitAsync("handler=Link", new() { ["apiKey"] = "" });
        Assert.Equal(HttpStatusCode.BadRequest, browser.Status);
        Assert.Contains("Enter your Restricted API key.", browser.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheFormAndItsRefusals_SpeakTheCustomersLanguage()
    {
        var (_, _, linkPath) = await app.NewStripeConnectionAsync();
        using var browser = app.Browser();
        await browser.GoAsync(linkPath.Replace("/start", "/credentials", StringComparison.Ordinal) + "?locale=fr");
        var page = WebUtility.HtmlDecode(browser.Html);
        Assert.Contains("<h2 id=\"form-title\">Utilisez une clé API restreinte</h2>", page, StringComparison.Ordinal);
        Assert.Contains("<label for=\"field-0\">Clé API restreinte</label>", page, StringComparison.Ordinal);
        Assert.Contains("Commence par rk_live_", page, StringComparison.Ordinal);

        await browser.SubmitAsync("handler=Link", new() { ["apiKey"] = "sk_live_51" + Guid.NewGuid().ToString("N") });
        Assert.Equal(HttpStatusCode.BadRequest, browser.Status);
        Assert.Contains("role=\"alert\">Cela ne ressemble pas à une valeur « Clé API restreinte ». Commence par rk_live_", WebUtility.HtmlDecode(browser.Html), StringComparison.Ordinal);

        await browser.SubmitAsync("handler=Link", new() { ["apiKey"] = "" });
        Assert.Contains("Saisissez votre Clé API restreinte.", WebUtility.HtmlDecode(browser.Html), StringComparison.Ordinal);

        await browser.SubmitAsync("handler=Link", new() { ["apiKey"] = "rk_test_51Wrong" + Guid.NewGuid().ToString("N") });
        Assert.Equal(HttpStatusCode.BadRequest, browser.Status);
        Assert.Contains("role=\"alert\">Stripe n'a pas accepté cette clé.", WebUtility.HtmlDecode(browser.Html), StringComparison.Ordinal);
        Assert.DoesNotContain("Stripe did not accept", browser.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RightKey_LinksLikeOAuth_StoredEncrypted_NeverEchoed_BackToTheApp()
    {
        var api = app.Alpha();
        await api.PutJsonAsync("/profile", new { name = "Alpha", redirectUrl = "https://app.example/done?s={statusCode}&c={connectionId}", whiteListUrls = new[] { "https://app.example" } })
            .ExpectAsync(HttpStatusCode.OK);
        await api.PostJsonAsync("/webhooks", new { url = "https://hooks.example.com/credentials", eventTypes = new[] { "connection.connected" } }).ExpectAsync(HttpStatusCode.Created);
        var (companyId, connectionId, linkPath) = await app.NewStripeConnectionAsync(api);
        using var browser = app.Browser();
        var pages = new List<string>();
        await browser.GoAsync(linkPath.Replace("/start", "/credentials", StringComparison.Ordinal) + "?ref=signup-7");
        pages.Add(browser.Html);

        await browser.SubmitAsync("handler=Link", new() { ["apiKey"] = " " + CredentialsApp.GoodKey + " " });
        pages.Add(browser.Html);

        Assert.Equal("app.example", browser.Location.Host);
        var back = QueryHelpers.ParseQuery(browser.Location.Query);
        Assert.Equal("200", back["s"].ToString());
        Assert.Equal(connectionId, back["c"].ToString());
        Assert.Equal(ConnectionStatus.Linked, await StatusAsync(connectionId));

        // Stored like OAuth tokens: encrypted, the account's parameters beside them.
        var id = Guid.Parse(connectionId);
        var token = await app.WithDbAsync(db => db.ConnectionTokens.IgnoreQueryFilters().AsNoTracking().SingleAsync(t => t.ConnectionId == id));
        Assert.DoesNotContain(CredentialsApp.GoodKey, token.ProtectedAccessToken, StringComparison.Ordinal);
        Assert.DoesNotContain("rk_test_", token.ProtectedAccessToken, StringComparison.Ordinal);
        Assert.Equal(CredentialsApp.GoodKey, app.Service<SecretProtector>().Unprotect(token.ProtectedAccessToken));
        Assert.Null(token.ProtectedRefreshToken);
        Assert.Equal("restricted", token.Account["keyType"]);
        Assert.Equal(CredentialsApp.AccountId, token.Account["accountId"]);

        // The same link as OAuth's: the customer's consent recorded, the app told.
        var consents = await app.WithDbAsync(db => db.ConsentRecords.IgnoreQueryFilters().Where(r => r.ConnectionId == id).ToListAsync());
        Assert.Contains(consents, r => r.Action == ConsentAction.Granted && r.Actor == ConsentActor.Customer && r.TextHash != null);
        var events = await app.WithDbAsync(db => db.WebhookEvents.IgnoreQueryFilters().Where(e => e.CompanyId == Guid.Parse(companyId)).ToListAsync());
        Assert.Contains(events, e => e.EventType == "connection.connected" && e.Body.Contains(connectionId, StringComparison.Ordinal));
        Assert.All(events, e => Assert.DoesNotContain(CredentialsApp.GoodKey, e.Body, StringComparison.Ordinal));

        var answers = new[]
        {
            await api.GetStringAsync($"/companies/{companyId}/connections/{connectionId}"),
            await api.GetStringAsync($"/companies/{companyId}/connections"),
            await api.GetStringAsync($"/companies/{companyId}"),
        };
        Assert.Contains("\"Linked\"", answers[0], StringComparison.Ordinal);
        Assert.All(answers, a => Assert.DoesNotContain(CredentialsApp.GoodKey, a, StringComparison.Ordinal));
        Assert.All(pages, p => Assert.DoesNotContain(CredentialsApp.GoodKey, p, StringComparison.Ordinal));
        Assert.NotEmpty(app.Logs.Lines);
        Assert.DoesNotContain(app.Logs.Lines, l => l.Contains(CredentialsApp.GoodKey, StringComparison.Ordinal));

        // Opening the form again for a Linked connection goes straight back (Codat's 201), with nothing to fill in.
        await browser.GoAsync(linkPath.Replace("/start", "/credentials", StringComparison.Ordinal));
        Assert.Equal("201", QueryHelpers.ParseQuery(browser.Location.Query)["s"].ToString());
    }

    [Fact]
    public async Task ConnectionOfAPlatformWithoutCredentials_HasNoForm()
    {
        var api = app.Alpha();
        var companyId = await api.CreateCompanyAsync("Sandbox Only Ltd");
        var connection = await api.PostJsonAsync($"/companies/{companyId}/connections", new { platformKey = "sbac" }).ExpectAsync(HttpStatusCode.OK);
        using var browser = app.Browser();
        var linkPath = new Uri(connection["linkUrl"]!.GetValue<string>()).PathAndQuery;

        await browser.GoAsync(linkPath);
        Assert.DoesNotContain("/credentials", browser.Html, StringComparison.Ordinal);
        await browser.GoAsync(linkPath.Replace("/start", "/credentials", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.NotFound, browser.Status);
    }

    private Task<ConnectionStatus> StatusAsync(string connectionId) =>
        app.WithDbAsync(db => db.Connections.IgnoreQueryFilters().Where(c => c.Id == Guid.Parse(connectionId)).Select(c => c.Status).SingleAsync());
}

public sealed class CredentialFormTests_Sqlite(SqliteCredentialsApp app) : CredentialFormTests(app), IClassFixture<SqliteCredentialsApp>;

public sealed class CredentialFormTests_Postgres(PostgresCredentialsApp app) : CredentialFormTests(app), IClassFixture<PostgresCredentialsApp>;

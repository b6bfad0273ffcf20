using System.Net;
using System.Reflection;
using Consentry.Api.Tests.Infrastructure;
using Consentry.Core.Persistence;
using Consentry.Features.Portal;
using Microsoft.AspNetCore.Razor.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Consentry.Api.Tests.Portal;

/// <summary>Sign-in, lockout, and the portal's walls: no page without sign-in, no other client's data, no POST without a token.</summary>
public abstract class PortalSecurityTests(PortalApp app)
{
    /// <summary>Every portal page (from the compiled Razor items), with a sample id for route parameters.</summary>
    public static IReadOnlyList<(string Route, Type Model)> PortalPages() =>
        [.. typeof(PortalPageModel).Assembly.GetTypes()
            .Select(t => (Type: t, Route: t.GetCustomAttributes<RazorCompiledItemMetadataAttribute>().FirstOrDefault(a => a.Key == "RouteTemplate")?.Value))
            .Where(p => p.Route?.StartsWith("/portal", StringComparison.Ordinal) == true)
            .Select(p => (p.Route!.Replace("{companyId:guid}", Guid.NewGuid().ToString(), StringComparison.Ordinal), p.Type.GetProperty("Model")!.PropertyType))];

    [Fact]
    public async Task EveryPortalPage_WithoutSignIn_SendsToTheSignInPage()
    {
        using var session = app.Session();
        var pages = PortalPages().Where(p => p.Route != "/portal/signin").ToList();
        Assert.True(pages.Count >= 13, $"Only {pages.Count} portal pages were found.");

        foreach (var (route, _) in pages)
        {
            using var response = await session.Http.GetAsync(route);
            Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"{route} answered {(int)response.StatusCode} without sign-in.");
            Assert.StartsWith("/portal/signin", response.Headers.Location!.PathAndQuery.Replace("https://consentry.test", "", StringComparison.Ordinal), StringComparison.Ordinal);
        }

        using var api = await app.Anonymous().GetAsync("/monitoring/authFlow");
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
    }

    [Fact]
    public async Task EveryPortalPostHandler_WithoutAnAntiforgeryToken_IsRejected()
    {
        using var session = app.Session();
        Assert.Equal(HttpStatusCode.Redirect, (await session.SignInAsync(PortalApp.AdminEmail, PortalApp.AdminPassword)).StatusCode);
        var handlers = PortalPages()
            .SelectMany(p => p.Model.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
                .Where(m => m.Name.StartsWith("OnPost", StringComparison.Ordinal))
                .Select(m => (p.Route, Handler: m.Name["OnPost".Length..].Replace("Async", "", StringComparison.Ordinal))))
            .ToList();
        Assert.True(handlers.Count >= 14, $"Only {handlers.Count} POST handlers were found.");

        foreach (var (route, handler) in handlers)
        {
            var url = handler.Length == 0 ? route : $"{route}?handler={handler}";
            using var response = await session.PostAsync(url, token: null, new() { ["name"] = "x" });
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"POST {url} without a token answered {(int)response.StatusCode}.");
        }

        // Still signed in: the refusals were the missing tokens, not a lost session.
        await session.GetAsync("/portal/settings/link");
    }

    [Fact]
    public async Task SignIn_WithTheConfiguredAdmin_OpensTheOverview_AndSignOutEndsTheSession()
    {
        using var session = app.Session();
        using var signedIn = await session.SignInAsync("ADMIN@alpha.test ", PortalApp.AdminPassword);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal("/portal", signedIn.Headers.Location!.OriginalString);

        var overview = await session.GetAsync("/portal/monitor/authflow");
        Assert.Contains("Auth flow overview", overview, StringComparison.Ordinal);
        Assert.Contains("/portal/lib/chart.umd.min.js", overview, StringComparison.Ordinal);
        using var chart = await session.Http.GetAsync("/portal/lib/chart.umd.min.js");
        Assert.Equal(HttpStatusCode.OK, chart.StatusCode);

        using var signedOut = await session.SubmitAsync("/portal/companies", "/portal/signout", []);
        Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);
        await session.GetAsync("/portal/companies", HttpStatusCode.Redirect);
    }

    [Fact]
    public async Task SignIn_AfterFiveWrongPasswords_LocksTheAccountUntilTheLockoutEnds()
    {
        const string email = "lockout@beta.test", password = "a-long-enough-password";
        await CreateUserAsync("Beta", email, password);
        using var session = app.Session();

        for (var i = 0; i < 5; i++)
        {
            using var wrong = await session.SignInAsync(email, "not-the-password");
            Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        }

        using var locked = await session.SignInAsync(email, password);
        Assert.Equal(HttpStatusCode.BadRequest, locked.StatusCode);
        Assert.Contains("locked", await locked.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var stored = await app.WithDbAsync(db => db.PortalUsers.IgnoreQueryFilters().SingleAsync(u => u.Email == email));
        Assert.DoesNotContain(password, stored.PasswordHash, StringComparison.Ordinal);

        app.Time.Advance(TimeSpan.FromMinutes(16));
        using var afterwards = await session.SignInAsync(email, password);
        Assert.Equal(HttpStatusCode.Redirect, afterwards.StatusCode);
    }

    [Fact]
    public async Task Portal_OfOneClient_NeverShowsAnotherClientsCompanies()
    {
        var betaCompany = await app.Beta().PostJsonAsync("/companies", new { name = "Beta Secret Bakery" }).ExpectAsync(HttpStatusCode.OK);
        var betaId = betaCompany["id"]!.GetValue<string>();
        var alphaCompany = await app.Alpha().PostJsonAsync("/companies", new { name = "Alpha Visible Bakery" }).ExpectAsync(HttpStatusCode.OK);

        using var alpha = app.Session();
        await alpha.SignInAsync(PortalApp.AdminEmail, PortalApp.AdminPassword);
        var list = await alpha.GetAsync("/portal/companies?q=bakery");
        Assert.Contains("Alpha Visible Bakery", list, StringComparison.Ordinal);
        Assert.DoesNotContain("Beta Secret Bakery", list, StringComparison.Ordinal);
        await alpha.GetAsync($"/portal/companies/{betaId}", HttpStatusCode.NotFound);
        var product = $"portal-{Guid.NewGuid():N}"[..20];
        await app.Alpha().PutJsonAsync($"/products/{product}", new { name = "Portal product", dataTypes = new[] { "invoices" } }).ExpectAsync(HttpStatusCode.OK);
        (await app.Alpha().PutAsync($"/companies/{alphaCompany["id"]}/products/{product}", null)).EnsureSuccessStatusCode();
        var detail = await alpha.GetAsync($"/portal/companies/{alphaCompany["id"]}");
        Assert.Contains($"Products: {product}", detail, StringComparison.Ordinal);
        Assert.Contains("No consent recorded yet.", detail, StringComparison.Ordinal);

        await CreateUserAsync("Beta", "team@beta.test", "beta-team-password");
        using var beta = app.Session();
        await beta.SignInAsync("team@beta.test", "beta-team-password");
        Assert.Contains("Beta Secret Bakery", await beta.GetAsync("/portal/companies?q=bakery"), StringComparison.Ordinal);
        await beta.GetAsync($"/portal/companies/{alphaCompany["id"]}", HttpStatusCode.NotFound);
        await beta.GetAsync("/portal/operator/clients", HttpStatusCode.Redirect); // not an operator
    }

    [Fact]
    public async Task LinkSettings_SavedInThePortal_AreWhatTheApiAnswers()
    {
        using var session = app.Session();
        await session.SignInAsync(PortalApp.AdminEmail, PortalApp.AdminPassword);

        using var saved = await session.SubmitAsync("/portal/settings/link", "/portal/settings/link", new()
        {
            ["Input.Categories.Accounting.Enabled"] = "true",
            ["Input.Categories.Banking.Enabled"] = "false",
            ["Input.Categories.Commerce.Enabled"] = "true",
            ["Input.Categories.Commerce.Optional"] = "true",
            ["Input.Categories.Commerce.FileUpload"] = "true",
            ["Input.ShowLandingPage"] = "true",
            ["Input.ShowBadge"] = "false", // what the hidden input beside an unchecked box sends
            ["Input.Texts.LandingTitle"] = "Connect your books to CoPay",
        });
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);

        var settings = await app.Alpha().GetAsync("/settings/link").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Connect your books to CoPay", settings["texts"]!["landingTitle"]!.GetValue<string>());
        Assert.False(settings["categories"]!["banking"]!["enabled"]!.GetValue<bool>());
        Assert.True(settings["categories"]!["commerce"]!["fileUpload"]!.GetValue<bool>());
        Assert.False(settings["showBadge"]!.GetValue<bool>());

        using var invalid = await session.SubmitAsync("/portal/settings/branding", "/portal/settings/branding", new() { ["PrimaryColor"] = "blue" });
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Contains("primaryColor must be a hex colour", await invalid.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Operator_CreatesAClient_WhoseKeyAndFirstUserWork()
    {
        using var session = app.Session();
        await session.SignInAsync(PortalApp.AdminEmail, PortalApp.AdminPassword);

        using var created = await session.SubmitAsync("/portal/operator/clients", "/portal/operator/clients?handler=Create",
            new() { ["name"] = "Gamma", ["email"] = "owner@gamma.test", ["password"] = "gamma-owner-password" });
        var html = await created.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        var key = System.Text.RegularExpressions.Regex.Match(html, "id=\"client-key\">([^<]+)<").Groups[1].Value;

        await app.ClientFor(key).GetAsync("/companies").ExpectAsync(HttpStatusCode.OK);
        using var gamma = app.Session();
        Assert.Equal(HttpStatusCode.Redirect, (await gamma.SignInAsync("owner@gamma.test", "gamma-owner-password")).StatusCode);
        Assert.DoesNotContain("Alpha Visible Bakery", await gamma.GetAsync("/portal/companies"), StringComparison.Ordinal);
    }

    private async Task CreateUserAsync(string clientName, string email, string password)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ConsentryDbContext>();
        if (await db.PortalUsers.IgnoreQueryFilters().AnyAsync(u => u.Email == email))
        {
            return;
        }

        var clientId = await db.Clients.Where(c => c.Name == clientName).Select(c => c.Id).SingleAsync();
        var (user, error) = await scope.ServiceProvider.GetRequiredService<PortalAccounts>().CreateUserAsync(clientId, email, password, false, CancellationToken.None);
        Assert.True(user is not null, error);
    }
}

public sealed class PortalSecurityTests_Sqlite(SqlitePortalApp app) : PortalSecurityTests(app), IClassFixture<SqlitePortalApp>;

public sealed class PortalSecurityTests_Postgres(PostgresPortalApp app) : PortalSecurityTests(app), IClassFixture<PostgresPortalApp>;

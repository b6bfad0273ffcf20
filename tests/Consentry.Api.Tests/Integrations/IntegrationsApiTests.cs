using System.Net;
using System.Net.Http.Headers;
using Consentry.Api.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Consentry.Api.Tests.Integrations;

public abstract class IntegrationsApiTests(ConsentryApp app)
{
    [Fact]
    public async Task List_HasEnabledSandboxes_AndRealPlatformsOffUntilConfigured()
    {
        var body = await app.Alpha().GetAsync("/integrations?pageSize=5000").ExpectAsync(HttpStatusCode.OK);
        var all = body["results"]!.AsArray().Select(i => i!).ToList();

        var sandboxes = all.Where(i => i["dataProvidedBy"]?.GetValue<string>() == "Consentry").ToList();
        Assert.Equal(["Accounting", "Banking", "Commerce"], sandboxes.Select(i => i["sourceType"]!.GetValue<string>()).Order());
        Assert.All(sandboxes, i => Assert.True(i["enabled"]!.GetValue<bool>()));

        var real = all.Except(sandboxes).ToList();
        Assert.True(real.Count >= 12, $"expected at least 12 real platforms, found {real.Count}");
        Assert.All(real, i => Assert.False(i["enabled"]!.GetValue<bool>()));
        Assert.Contains(real, i => i["key"]!.GetValue<string>() == "gbol" && i["name"]!.GetValue<string>() == "Xero");
        Assert.All(all, i => Assert.Matches("^[a-z]{4}$", i["key"]!.GetValue<string>()));
        Assert.All(all, i => Assert.StartsWith($"{ConsentryApp.PublicBaseUrl}/branding/", i["logoUrl"]!.GetValue<string>(), StringComparison.Ordinal));
        Assert.Equal(all.Count, body["totalResults"]!.GetValue<int>());
    }

    [Fact]
    public async Task List_QueryBySourceTypeAndEnabled_ReturnsTheSandboxOnly()
    {
        var body = await app.Alpha().GetAsync("/integrations?query=sourceType%3DAccounting%26%26enabled%3Dtrue").ExpectAsync(HttpStatusCode.OK);

        var only = Assert.Single(body["results"]!.AsArray())!;
        Assert.Equal("sbac", only["key"]!.GetValue<string>());
        await app.Alpha().GetAsync("/integrations?query=enabled~true").ExpectErrorAsync(HttpStatusCode.BadRequest, "Error parsing query");
        await app.Alpha().GetAsync("/integrations?query=colour%3Dred").ExpectErrorAsync(HttpStatusCode.BadRequest, "Could not resolve property colour on Integration");
    }

    [Fact]
    public async Task Get_KnownAndUnknownKeys()
    {
        var xero = await app.Alpha().GetAsync("/integrations/gbol").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Accounting", xero["sourceType"]!.GetValue<string>());
        Assert.NotEmpty(xero["datatypeFeatures"]!.AsArray());
        await app.Alpha().GetAsync("/integrations/zzzz").ExpectErrorAsync(HttpStatusCode.NotFound, "zzzz");
    }

    [Fact]
    public async Task Branding_PointsAtOwnImages_ServedWithETagAndCacheControl()
    {
        var branding = await app.Alpha().GetAsync("/integrations/gbol/branding").ExpectAsync(HttpStatusCode.OK);
        var src = branding["logo"]!["full"]!["image"]!["src"]!.GetValue<string>();
        Assert.Equal($"{ConsentryApp.PublicBaseUrl}/branding/gbol/logo-full.svg", src);
        Assert.NotNull(branding["button"]!["hover"]!["image"]!["src"]);

        var anonymous = app.Anonymous();
        using var image = await anonymous.GetAsync(new Uri(src).PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, image.StatusCode);
        Assert.Equal("image/svg+xml", image.Content.Headers.ContentType!.MediaType);
        Assert.Contains("<svg", await image.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("Xero", await image.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.True(image.Headers.CacheControl!.Public);
        var etag = image.Headers.ETag!;

        using var again = new HttpRequestMessage(HttpMethod.Get, new Uri(src).PathAndQuery);
        again.Headers.IfNoneMatch.Add(etag);
        using var notModified = await anonymous.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);

        using var conditionalBranding = new HttpRequestMessage(HttpMethod.Get, "/integrations/gbol/branding");
        using var first = await app.Alpha().GetAsync("/integrations/gbol/branding");
        conditionalBranding.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        using var brandingNotModified = await app.Alpha().SendAsync(conditionalBranding);
        Assert.Equal(HttpStatusCode.NotModified, brandingNotModified.StatusCode);

        await anonymous.GetAsync("/branding/gbol/nope.svg").ExpectErrorAsync(HttpStatusCode.NotFound);
        await app.Alpha().GetAsync("/integrations/zzzz/branding").ExpectErrorAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Settings_CredentialsEnableARealPlatform_AndTheSecretIsEncryptedAndNeverReturned()
    {
        // Beta configures Xero; Alpha (the other client) must not see it enabled.
        var beta = app.Beta();
        const string secret = "xero-client-secret-do-not-leak-42";
        var settings = await beta.PutJsonAsync("/integrations/gbol/settings", new { oauthClientId = "xero-client-id", oauthClientSecret = secret })
            .ExpectAsync(HttpStatusCode.OK);
        Assert.True(settings["enabled"]!.GetValue<bool>());
        Assert.True(settings["hasOAuthClientSecret"]!.GetValue<bool>());
        Assert.DoesNotContain(secret, settings.ToJsonString(), StringComparison.Ordinal);

        var stored = await app.WithDbAsync(db => db.IntegrationSettings.IgnoreQueryFilters().Where(s => s.PlatformKey == "gbol").Select(s => s.ProtectedClientSecret).ToListAsync());
        var protectedSecret = Assert.Single(stored);
        Assert.DoesNotContain(secret, protectedSecret!, StringComparison.Ordinal);
        Assert.Equal(secret, app.Service<Core.Security.SecretProtector>().Unprotect(protectedSecret!));

        Assert.True((await beta.GetAsync("/integrations/gbol").ExpectAsync(HttpStatusCode.OK))["enabled"]!.GetValue<bool>());
        Assert.False((await app.Alpha().GetAsync("/integrations/gbol").ExpectAsync(HttpStatusCode.OK))["enabled"]!.GetValue<bool>());
        var companyId = await beta.CreateCompanyAsync();
        await beta.CreateConnectionAsync(companyId, "gbol");

        // Switched off, it can no longer be connected; deleting the settings returns to the default.
        await beta.PutJsonAsync("/integrations/gbol/settings", new { enabled = false }).ExpectAsync(HttpStatusCode.OK);
        var other = await beta.CreateCompanyAsync();
        await beta.PostJsonAsync($"/companies/{other}/connections", new { platformKey = "gbol" }).ExpectErrorAsync(HttpStatusCode.BadRequest, "not enabled");
        await beta.DeleteAsync("/integrations/gbol/settings").ExpectAsync(HttpStatusCode.NoContent);
        Assert.False((await beta.GetAsync("/integrations/gbol/settings").ExpectAsync(HttpStatusCode.OK))["hasOAuthClientSecret"]!.GetValue<bool>());
    }

    [Theory]
    [InlineData("gbol", """{"enabled":true}""", "can only be enabled once")]
    [InlineData("sbac", """{"oauthClientId":"x"}""", "Sandbox integrations")]
    [InlineData("gbol", """{"oauthClientId":"   "}""", "oauthClientId")]
    [InlineData("zzzz", """{"enabled":true}""", "zzzz")]
    public async Task Settings_BadInput_IsRefused(string key, string json, string fragment)
    {
        var status = key == "zzzz" ? HttpStatusCode.NotFound : HttpStatusCode.BadRequest;
        await app.Alpha().SendRawAsync(HttpMethod.Put, $"/integrations/{key}/settings", json).ExpectErrorAsync(status, fragment);
    }

    [Fact]
    public async Task Settings_SandboxSwitchedOff_CannotBeConnected()
    {
        var api = app.Alpha();
        await api.PutJsonAsync("/integrations/sbcm/settings", new { enabled = false }).ExpectAsync(HttpStatusCode.OK);
        try
        {
            var companyId = await api.CreateCompanyAsync();
            await api.PostJsonAsync($"/companies/{companyId}/connections", new { platformKey = "sbcm" }).ExpectErrorAsync(HttpStatusCode.BadRequest, "switched off");
        }
        finally
        {
            await api.DeleteAsync("/integrations/sbcm/settings").ExpectAsync(HttpStatusCode.NoContent);
        }
    }
}

public sealed class IntegrationsApiTests_Sqlite(SqliteApp app) : IntegrationsApiTests(app), IClassFixture<SqliteApp>;

public sealed class IntegrationsApiTests_Postgres(PostgresApp app) : IntegrationsApiTests(app), IClassFixture<PostgresApp>;

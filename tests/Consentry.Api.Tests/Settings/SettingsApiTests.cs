using System.Net;
using System.Net.Http.Headers;
using Consentry.Api.Tests.Infrastructure;
using Consentry.Core.Security;

namespace Consentry.Api.Tests.Settings;

public abstract class SettingsApiTests(ConsentryApp app)
{
    [Fact]
    public async Task Profile_PutThenGet_RoundTrips()
    {
        var api = app.Beta();
        var profile = new
        {
            name = "CoPay",
            logoUrl = "https://copay.example/logo.png",
            iconUrl = "https://copay.example/icon.png",
            redirectUrl = "https://app.copay.example/{env}/done/{companyId}?status={statusCode}",
            whiteListUrls = new[] { "https://app.copay.example", "https://staging.copay.example" },
        };

        await api.PutJsonAsync("/profile", profile).ExpectAsync(HttpStatusCode.OK);
        var body = await api.GetAsync("/profile").ExpectAsync(HttpStatusCode.OK);

        Assert.Equal("CoPay", body["name"]!.GetValue<string>());
        Assert.Equal(profile.redirectUrl, body["redirectUrl"]!.GetValue<string>());
        Assert.Equal(profile.whiteListUrls, body["whiteListUrls"]!.AsArray().Select(u => u!.GetValue<string>()));
        Assert.NotEqual("CoPay", (await app.Alpha().GetAsync("/profile").ExpectAsync(HttpStatusCode.OK))["name"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("""{"redirectUrl":"https://x.example"}""", "name")]
    [InlineData("""{"name":"A","redirectUrl":"not a url"}""", "redirectUrl")]
    [InlineData("""{"name":"A","redirectUrl":"javascript:alert(1)"}""", "redirectUrl")]
    [InlineData("""{"name":"A","redirectUrl":"","whiteListUrls":["ftp://x"]}""", "whiteListUrls")]
    [InlineData("""{"name":"A","logoUrl":"logo.png"}""", "logoUrl")]
    // Templates the journey would never follow are refused when saved, not after the customer linked.
    [InlineData("""{"name":"A","redirectUrl":"https://app.example/done","whiteListUrls":[]}""", "https://app.example is not in whiteListUrls")]
    [InlineData("""{"name":"A","redirectUrl":"https://{env}.app.example/done","whiteListUrls":["https://x.app.example"]}""", "{placeholder} in its host")]
    [InlineData("""{"name":"A","redirectUrl":"https://app.example@evil.example/done","whiteListUrls":["https://evil.example"]}""", "user name")]
    [InlineData("""{"name":"A","redirectUrl":"http://host@evil.example/","whiteListUrls":["http://evil.example"]}""", "user name")]
    [InlineData("""{"name":"A","redirectUrl":"https://app.example./done","whiteListUrls":["https://app.example"]}""", "ending in a dot")]
    [InlineData("""{"name":"A","redirectUrl":"https://app.example:8443/done","whiteListUrls":["https://app.example"]}""", "https://app.example:8443 is not in whiteListUrls")]
    [InlineData("""{"name":"A","redirectUrl":"http://app.example/done","whiteListUrls":["https://app.example"]}""", "http://app.example is not in whiteListUrls")]
    [InlineData("""{"name":"A","redirectUrl":"","whiteListUrls":["https://user@app.example"]}""", "whiteListUrls")]
    [InlineData("""{"name":"A","redirectUrl":"","whiteListUrls":["https://app.example./"]}""", "whiteListUrls")]
    [InlineData("""{"name":["A"]}""", "$.name")]
    public async Task Profile_BadInput_Returns400(string json, string fragment)
    {
        await app.Alpha().SendRawAsync(HttpMethod.Put, "/profile", json).ExpectErrorAsync(HttpStatusCode.BadRequest, fragment);
    }

    [Theory]
    [InlineData("/corsSettings")]
    [InlineData("/connectionManagement/corsSettings")]
    public async Task Cors_SetReturns200WithNormalizedOrigins_OnBothPaths(string path)
    {
        var api = app.Alpha();
        var body = await api.PostJsonAsync(path, new { allowedOrigins = new[] { "https://App.Example.com/", "http://localhost:3000" } })
            .ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(["https://app.example.com", "http://localhost:3000"], body["allowedOrigins"]!.AsArray().Select(o => o!.GetValue<string>()));

        var read = await api.GetAsync(path == "/corsSettings" ? "/connectionManagement/corsSettings" : "/corsSettings").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(body.ToJsonString(), read.ToJsonString());
    }

    [Theory]
    [InlineData("""{"allowedOrigins":["https://x.example/path"]}""")]
    [InlineData("""{"allowedOrigins":["x.example"]}""")]
    [InlineData("""{"allowedOrigins":[null]}""")]
    [InlineData("""{}""")]
    public async Task Cors_BadOrigins_Return400(string json)
    {
        await app.Alpha().SendRawAsync(HttpMethod.Post, "/corsSettings", json).ExpectErrorAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task ClientSyncSettings_DefaultsThenStored()
    {
        var api = app.Beta();
        var defaults = await api.GetAsync("/profile/syncSettings").ExpectAsync(HttpStatusCode.OK);
        var clientId = defaults["clientId"]!.GetValue<string>();
        Assert.Contains(defaults["settings"]!.AsArray(), s => s!["dataType"]!.GetValue<string>() == "invoices" && s["fetchOnFirstLink"]!.GetValue<bool>());

        await api.PostJsonAsync("/profile/syncSettings", new
        {
            clientId,
            overridesDefaults = true,
            settings = new[] { new { dataType = "invoices", fetchOnFirstLink = false, syncSchedule = 6, syncOrder = 1 } },
        }).ExpectAsync(HttpStatusCode.NoContent);

        var stored = await api.GetAsync("/profile/syncSettings").ExpectAsync(HttpStatusCode.OK);
        var only = Assert.Single(stored["settings"]!.AsArray())!;
        Assert.Equal(6, only["syncSchedule"]!.GetValue<int>());
        Assert.False(only["fetchOnFirstLink"]!.GetValue<bool>());
        Assert.True(stored["overridesDefaults"]!.GetValue<bool>());
    }

    [Theory]
    [InlineData("""{"settings":[{"dataType":"nope","fetchOnFirstLink":true,"syncSchedule":24,"syncOrder":0}]}""", "nope")]
    [InlineData("""{"settings":[{"dataType":"invoices","fetchOnFirstLink":true,"syncSchedule":0,"syncOrder":0}]}""", "syncSchedule")]
    [InlineData("""{"settings":[{"dataType":"invoices","fetchOnFirstLink":true,"syncSchedule":1,"syncOrder":0},{"dataType":"invoices","fetchOnFirstLink":true,"syncSchedule":1,"syncOrder":1}]}""", "more than once")]
    [InlineData("""{"clientId":"00000000-0000-0000-0000-000000000001","settings":[]}""", "clientId")]
    [InlineData("""{"overridesDefaults":true}""", "settings is required")]
    [InlineData("""{"settings":[{"fetchOnFirstLink":true}]}""", "dataType")]
    public async Task ClientSyncSettings_BadInput_Returns400(string json, string fragment)
    {
        await app.Alpha().SendRawAsync(HttpMethod.Post, "/profile/syncSettings", json).ExpectErrorAsync(HttpStatusCode.BadRequest, fragment);
    }

    [Fact]
    public async Task CompanySyncSettings_OverrideTheClients()
    {
        var api = app.Alpha();
        var companyId = await api.CreateCompanyAsync();
        var inherited = await api.GetAsync($"/companies/{companyId}/syncSettings").ExpectAsync(HttpStatusCode.OK);
        Assert.False(inherited["overridesDefaults"]!.GetValue<bool>());
        Assert.Equal(companyId, inherited["companyId"]!.GetValue<string>());

        await api.PostJsonAsync($"/companies/{companyId}/syncSettings", new
        {
            companyId,
            overridesDefaults = true,
            settings = new[] { new { dataType = "banking-transactions", fetchOnFirstLink = true, syncSchedule = 1, syncOrder = 0 } },
        }).ExpectAsync(HttpStatusCode.NoContent);

        var own = await api.GetAsync($"/companies/{companyId}/syncSettings").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("banking-transactions", Assert.Single(own["settings"]!.AsArray())!["dataType"]!.GetValue<string>());
        await api.PostJsonAsync($"/companies/{companyId}/syncSettings", new { companyId = Guid.NewGuid(), settings = Array.Empty<object>() })
            .ExpectErrorAsync(HttpStatusCode.BadRequest, "companyId");
        await api.GetAsync($"/companies/{Guid.NewGuid()}/syncSettings").ExpectErrorAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task AccessToken_IsScopedToOneCompany_ExpiresInADay_AndIsUselessForThePlatformApi()
    {
        var api = app.Alpha();
        var companyId = await api.CreateCompanyAsync();

        var body = await api.GetAsync($"/companies/{companyId}/accessToken").ExpectAsync(HttpStatusCode.OK);

        Assert.Equal(86400, body["expiresIn"]!.GetValue<int>());
        Assert.Equal("Bearer", body["tokenType"]!.GetValue<string>());
        var token = body["accessToken"]!.GetValue<string>();
        var tokens = app.Service<CompanyAccessTokens>();
        Assert.Equal(Guid.Parse(companyId), tokens.Validate(token)!.CompanyId);
        Assert.Null(tokens.Validate(token + "x"));

        var bearer = app.Anonymous();
        bearer.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        await bearer.GetAsync($"/companies/{companyId}").ExpectErrorAsync(HttpStatusCode.Unauthorized);

        app.Time.Advance(TimeSpan.FromHours(24) + TimeSpan.FromSeconds(1));
        Assert.Null(tokens.Validate(token));
        await api.GetAsync($"/companies/{Guid.NewGuid()}/accessToken").ExpectErrorAsync(HttpStatusCode.NotFound);
    }
}

public sealed class SettingsApiTests_Sqlite(SqliteApp app) : SettingsApiTests(app), IClassFixture<SqliteApp>;

public sealed class SettingsApiTests_Postgres(PostgresApp app) : SettingsApiTests(app), IClassFixture<PostgresApp>;

using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Consentry.Api.Tests.Infrastructure;
using Consentry.Core.Connections;
using Consentry.Core.Link;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Consentry.Api.Tests.Link;

/// <summary>
/// The Link SDK's JSON endpoints (<c>/link/api/companies/{companyId}/…</c>) and its sign-in hand-off over real HTTP:
/// only the company access token of that company opens them, only the client's allowed origins (and Consentry's own)
/// may call them from a browser, bad input gets Codat's error body, and a sign-in started with a ticket ends at the
/// popup's result page or back at the app's page with the result in the fragment.
/// </summary>
public abstract class LinkSdkApiTests(LinkApp app) : IDisposable
{
    private const string AppOrigin = "https://copay.example";
    private readonly HttpClient _api = app.Alpha();
    private readonly HttpClient _http = new() { BaseAddress = new Uri(app.BaseUrl) };

    [Fact]
    public async Task Journey_WithoutAValidTokenForThisCompany_Is401WithCodatsErrorBody()
    {
        var (companyId, token) = await CompanyAsync();
        var (otherCompany, otherToken) = await CompanyAsync();
        using var beta = app.Beta();
        var betaCompany = await beta.CreateCompanyAsync("Beta Ltd");
        var betaToken = (await beta.GetAsync($"/companies/{betaCompany}/accessToken").ExpectAsync(HttpStatusCode.OK))["accessToken"]!.GetValue<string>();

        foreach (var (company, authorization) in new (string, AuthenticationHeaderValue?)[]
        {
            (companyId, null),
            (companyId, new("Bearer", "not-a-token")),
            (companyId, new("Bearer", otherToken)),
            (companyId, new("Bearer", betaToken)),
            (companyId, new("Basic", Convert.ToBase64String("alpha-test-key-0123456789abcdef"u8.ToArray()))),
            (Guid.NewGuid().ToString(), new("Bearer", token)),
        })
        {
            var error = await SendAsync(HttpMethod.Get, $"/link/api/companies/{company}/journey", authorization).ExpectErrorAsync(HttpStatusCode.Unauthorized, "company access token");
            Assert.Equal(401, error["statusCode"]!.GetValue<int>());
        }

        Assert.NotEqual(otherCompany, companyId);
        var journey = await SendAsync(HttpMethod.Get, $"/link/api/companies/{companyId}/journey", new("Bearer", token)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(["accounting", "banking", "commerce"], journey["categories"]!.AsArray().Select(c => c!["key"]!.GetValue<string>()));
        Assert.Contains(journey["categories"]![0]!["integrations"]!.AsArray(), i => i!["key"]!.GetValue<string>() == "sbac");
    }

    [Fact]
    public async Task EverySdkRoute_WithAnotherCompanysOrClientsToken_AnswersAsForAnUnknownCompany_AndChangesNothing()
    {
        var (companyId, _) = await CompanyAsync();
        var connectionId = await _api.CreateConnectionAsync(companyId, "sbac");
        var (_, otherToken) = await CompanyAsync();
        using var beta = app.Beta();
        var betaCompany = await beta.CreateCompanyAsync("Beta Ltd");
        var betaToken = (await beta.GetAsync($"/companies/{betaCompany}/accessToken").ExpectAsync(HttpStatusCode.OK))["accessToken"]!.GetValue<string>();
        var routes = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText!.StartsWith("/link/api/", StringComparison.Ordinal))
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []).Where(m => m != "OPTIONS").Select(m => (Method: m, Template: e.RoutePattern.RawText!)))
            .ToList();
        Assert.True(routes.Count >= 8, $"Expected the SDK routes, found {routes.Count}.");

        foreach (var (method, template) in routes)
        {
            var path = template.Replace("{companyId:guid}", companyId, StringComparison.Ordinal).Replace("{connectionId:guid}", connectionId, StringComparison.Ordinal);
            var unknown = template.Replace("{companyId:guid}", Guid.NewGuid().ToString(), StringComparison.Ordinal).Replace("{connectionId:guid}", connectionId, StringComparison.Ordinal);
            var body = new { platformKey = "sbbk", status = "Unlinked", step = "completed" };
            foreach (var token in new[] { otherToken, betaToken })
            {
                var foreign = await SendAsync(new HttpMethod(method), path, new("Bearer", token), body: body).ExpectErrorAsync(HttpStatusCode.Unauthorized);
                var missing = await SendAsync(new HttpMethod(method), unknown, new("Bearer", token), body: body).ExpectErrorAsync(HttpStatusCode.Unauthorized);
                Assert.Equal(missing["error"]!.GetValue<string>(), foreign["error"]!.GetValue<string>());
            }
        }

        var connections = await _api.GetAsync($"/companies/{companyId}/connections").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("PendingAuth", Assert.Single(connections["results"]!.AsArray())!["status"]!.GetValue<string>());
        Assert.False(await app.WithDbAsync(db => db.JourneyEvents.IgnoreQueryFilters().AnyAsync(e => e.CompanyId == Guid.Parse(companyId))));
    }

    [Fact]
    public async Task Origin_OnlyTheAllowedOnesAndConsentryItself_GetCorsAnswers()
    {
        var (companyId, token) = await CompanyAsync();
        await AllowOriginsAsync(AppOrigin);

        using var allowed = await SendAsync(HttpMethod.Get, $"/link/api/companies/{companyId}/journey", new("Bearer", token), AppOrigin);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal(AppOrigin, allowed.Headers.GetValues("Access-Control-Allow-Origin").Single());

        using var own = await SendAsync(HttpMethod.Get, $"/link/api/companies/{companyId}/journey", new("Bearer", token), app.BaseUrl);
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);

        var refused = await SendAsync(HttpMethod.Get, $"/link/api/companies/{companyId}/journey", new("Bearer", token), "https://evil.example")
            .ExpectErrorAsync(HttpStatusCode.Forbidden, "not allowed");
        Assert.Equal(403, refused["statusCode"]!.GetValue<int>());

        using var preflight = new HttpRequestMessage(HttpMethod.Options, $"/link/api/companies/{companyId}/connections");
        preflight.Headers.Add("Origin", AppOrigin);
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        using var preflightAnswer = await _http.SendAsync(preflight);
        Assert.Equal(HttpStatusCode.NoContent, preflightAnswer.StatusCode);
        Assert.Equal("authorization, content-type", preflightAnswer.Headers.GetValues("Access-Control-Allow-Headers").Single());

        using var badPreflight = new HttpRequestMessage(HttpMethod.Options, $"/link/api/companies/{companyId}/connections");
        badPreflight.Headers.Add("Origin", "https://evil.example");
        using var badAnswer = await _http.SendAsync(badPreflight);
        Assert.Equal(HttpStatusCode.Forbidden, badAnswer.StatusCode);
        Assert.False(badAnswer.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Connect_BadInput_Is400WithCodatsErrorBody_NeverA500()
    {
        var (companyId, token) = await CompanyAsync();
        var bearer = new AuthenticationHeaderValue("Bearer", token);
        var url = $"/link/api/companies/{companyId}/connections";

        await SendAsync(HttpMethod.Post, url, bearer, body: new { platformKey = "nope" }).ExpectErrorAsync(HttpStatusCode.BadRequest, "not an integration");
        await SendAsync(HttpMethod.Post, url, bearer, body: new { }).ExpectErrorAsync(HttpStatusCode.BadRequest);
        await SendAsync(HttpMethod.Post, url, bearer, body: new { platformKey = "sbac", mode = "Redirect", returnUrl = "https://evil.example/x" })
            .ExpectErrorAsync(HttpStatusCode.BadRequest, "returnUrl");
        await SendAsync(HttpMethod.Post, url, bearer, body: new { platformKey = "sbac", mode = "Sideways" }).ExpectErrorAsync(HttpStatusCode.BadRequest);
        using var malformed = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent("{not json", System.Text.Encoding.UTF8, "application/json") };
        malformed.Headers.Authorization = bearer;
        Assert.Equal(HttpStatusCode.BadRequest, (await _http.SendAsync(malformed)).StatusCode);
        await SendAsync(HttpMethod.Post, $"/link/api/companies/{companyId}/events", bearer, body: new { step = "hacked" }).ExpectErrorAsync(HttpStatusCode.BadRequest, "step must be");
        await SendAsync(HttpMethod.Post, $"/link/api/companies/{companyId}/events", bearer, body: new { step = "skipped" }).ExpectErrorAsync(HttpStatusCode.BadRequest, "step must be");
        await SendAsync(HttpMethod.Get, $"/link/api/companies/{companyId}/connections/{Guid.NewGuid()}", bearer).ExpectErrorAsync(HttpStatusCode.NotFound);
        await SendAsync(HttpMethod.Patch, $"/link/api/companies/{companyId}/connections/{Guid.NewGuid()}", bearer, body: new { status = "Unlinked" }).ExpectErrorAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Connect_TwiceForOnePlatform_ReusesThePendingConnection_AndStartsNoFlowUntilTheTicketIsUsed()
    {
        var (companyId, token) = await CompanyAsync();
        var bearer = new AuthenticationHeaderValue("Bearer", token);

        var first = await SendAsync(HttpMethod.Post, $"/link/api/companies/{companyId}/connections", bearer, body: new { platformKey = "sbac" }).ExpectAsync(HttpStatusCode.OK);
        var second = await SendAsync(HttpMethod.Post, $"/link/api/companies/{companyId}/connections", bearer, body: new { platformKey = "sbac" }).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal(first["connection"]!["connectionId"]!.GetValue<string>(), second["connection"]!["connectionId"]!.GetValue<string>());
        Assert.Equal("sbac", first["connection"]!["integrationKey"]!.GetValue<string>());
        Assert.StartsWith("/link/embed/authorize?ticket=", first["authorizeUrl"]!.GetValue<string>(), StringComparison.Ordinal);
        var connections = await _api.GetAsync($"/companies/{companyId}/connections").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("PendingAuth", Assert.Single(connections["results"]!.AsArray())!["status"]!.GetValue<string>());
        Assert.False(await app.WithDbAsync(db => db.OAuthFlows.IgnoreQueryFilters().AnyAsync(f => f.CompanyId == Guid.Parse(companyId))));
    }

    [Fact]
    public async Task Popup_SignInWithTheTicket_EndsAtTheResultPageForTheOpener()
    {
        var (companyId, token) = await CompanyAsync();
        await AllowOriginsAsync(AppOrigin);
        var started = await SendAsync(HttpMethod.Post, $"/link/api/companies/{companyId}/connections", new("Bearer", token), AppOrigin, new { platformKey = "sbac" })
            .ExpectAsync(HttpStatusCode.OK);
        var connectionId = started["connection"]!["connectionId"]!.GetValue<string>();
        using var browser = app.Browser();

        await browser.GoAsync(started["authorizeUrl"]!.GetValue<string>());
        await browser.SubmitAsync("/oauth/login", new() { ["username"] = "user_good", ["password"] = "pass_good" });
        await browser.SubmitAsync("/oauth/consent/accept");

        Assert.Equal("/link/embed/result", browser.Location.AbsolutePath);
        Assert.Contains($"data-connection-id=\"{connectionId}\"", browser.Html, StringComparison.Ordinal);
        Assert.Contains("data-status=\"200\"", browser.Html, StringComparison.Ordinal);
        Assert.Contains($"data-opener=\"{AppOrigin}\"", browser.Html, StringComparison.Ordinal);
        var connection = await SendAsync(HttpMethod.Get, $"/link/api/companies/{companyId}/connections/{connectionId}", new("Bearer", token)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Linked", connection["status"]!.GetValue<string>());
        Assert.Contains("invoices", connection["impact"]!["dataTypes"]!.AsArray().Select(d => d!.GetValue<string>()));
    }

    [Fact]
    public async Task Redirect_SignInWithTheTicket_ReturnsToTheAppsPageWithTheResultInTheFragment()
    {
        var (companyId, token) = await CompanyAsync();
        await AllowOriginsAsync(AppOrigin);
        var started = await SendAsync(HttpMethod.Post, $"/link/api/companies/{companyId}/connections", new("Bearer", token),
            body: new { platformKey = "sbbk", mode = "Redirect", returnUrl = $"{AppOrigin}/onboarding?step=2#consentry-result=old" }).ExpectAsync(HttpStatusCode.OK);
        var connectionId = started["connection"]!["connectionId"]!.GetValue<string>();
        using var browser = app.Browser();

        await browser.GoAsync(started["authorizeUrl"]!.GetValue<string>());
        await browser.SubmitAsync("/oauth/login", new() { ["username"] = "user_good", ["password"] = "pass_good" });
        await browser.SubmitAsync("/oauth/consent/accept");

        Assert.Equal($"{AppOrigin}/onboarding?step=2#consentry-result={connectionId}:200", browser.Location.ToString());
        Assert.Equal(ConnectionStatus.Linked, await app.WithDbAsync(db => db.Connections.IgnoreQueryFilters().Where(c => c.Id == Guid.Parse(connectionId)).Select(c => c.Status).SingleAsync()));
    }

    [Fact]
    public async Task Authorize_TamperedTicket_IsRefusedWithAPage_AndStartsNothing()
    {
        var (companyId, token) = await CompanyAsync();
        var started = await SendAsync(HttpMethod.Post, $"/link/api/companies/{companyId}/connections", new("Bearer", token), body: new { platformKey = "sbac" }).ExpectAsync(HttpStatusCode.OK);
        var url = started["authorizeUrl"]!.GetValue<string>();

        using var tampered = await _http.GetAsync(url[..^4] + "AAAA");
        using var missing = await _http.GetAsync("/link/embed/authorize");

        Assert.Equal(HttpStatusCode.BadRequest, tampered.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Contains("expired or is not valid", await tampered.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False(await app.WithDbAsync(db => db.OAuthFlows.IgnoreQueryFilters().AnyAsync(f => f.CompanyId == Guid.Parse(companyId))));
    }

    [Fact]
    public async Task Disconnect_ThenReconnect_UseThePlatformRules()
    {
        var (companyId, token) = await CompanyAsync();
        var bearer = new AuthenticationHeaderValue("Bearer", token);
        var connectionId = await _api.CreateConnectionAsync(companyId, "sbac");
        var url = $"/link/api/companies/{companyId}/connections/{connectionId}";

        await SendAsync(HttpMethod.Patch, url, bearer, body: new { status = "Unlinked" }).ExpectErrorAsync(HttpStatusCode.BadRequest, "Only a Linked connection");
        await app.WithDbAsync(async db =>
        {
            var c = await db.Connections.IgnoreQueryFilters().SingleAsync(c => c.Id == Guid.Parse(connectionId));
            c.MoveTo(ConnectionStatus.Linked);
            return await db.SaveChangesAsync();
        });
        await SendAsync(HttpMethod.Post, url + "/authorize", bearer, body: new { }).ExpectErrorAsync(HttpStatusCode.BadRequest, "already Linked");

        var unlinked = await SendAsync(HttpMethod.Patch, url, bearer, body: new { status = "Unlinked" }).ExpectAsync(HttpStatusCode.OK);
        var reconnect = await SendAsync(HttpMethod.Post, url + "/authorize", bearer, body: new { }).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal("Unlinked", unlinked["status"]!.GetValue<string>());
        Assert.Equal(connectionId, reconnect["connection"]!["connectionId"]!.GetValue<string>());
        var platformView = await _api.GetAsync($"/companies/{companyId}/connections/{connectionId}").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Unlinked", platformView["status"]!.GetValue<string>()); // reconnecting only hands out a sign-in; nothing changes before it
    }

    [Fact]
    public async Task Files_UploadedWhereTheSettingsAllow_AreCheckedByContentAndStored()
    {
        var (companyId, token) = await CompanyAsync();
        var bearer = new AuthenticationHeaderValue("Bearer", token);
        var pdf = "%PDF-1.4\n%%EOF\n"u8.ToArray();

        await UploadAsync(companyId, bearer, "banking", "statement.pdf", pdf).ExpectErrorAsync(HttpStatusCode.BadRequest, "cannot be uploaded");
        await _api.PutJsonAsync("/settings/link", new LinkSettings { Categories = { Banking = { FileUpload = true } } }).ExpectAsync(HttpStatusCode.OK);
        await UploadAsync(companyId, bearer, "banking", "statement.pdf", "date,amount\n"u8.ToArray()).ExpectErrorAsync(HttpStatusCode.BadRequest, "not a real PDF");
        await UploadAsync(companyId, bearer, "banking", "statement.exe", pdf).ExpectErrorAsync(HttpStatusCode.BadRequest, "PDF, CSV or XLSX");
        await UploadAsync(companyId, bearer, "commerce", "statement.pdf", pdf).ExpectErrorAsync(HttpStatusCode.BadRequest, "cannot be uploaded");
        await UploadAsync(companyId, null, "banking", "statement.pdf", pdf).ExpectErrorAsync(HttpStatusCode.Unauthorized);
        await SendAsync(HttpMethod.Post, $"/link/api/companies/{companyId}/files", bearer, body: new { category = "banking" }).ExpectErrorAsync(HttpStatusCode.BadRequest, "multipart");

        var uploaded = await UploadAsync(companyId, bearer, "banking", "statement.pdf", pdf).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal(("banking", "statement.pdf", pdf.Length), (uploaded["category"]!.GetValue<string>(), uploaded["fileName"]!.GetValue<string>(), uploaded["size"]!.GetValue<int>()));
        var journey = await SendAsync(HttpMethod.Get, $"/link/api/companies/{companyId}/journey", bearer).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(1, journey["categories"]![1]!["uploads"]!.GetValue<int>());
        Assert.Equal(1, await app.WithDbAsync(db => db.UploadedFiles.IgnoreQueryFilters().CountAsync(f => f.CompanyId == Guid.Parse(companyId))));
    }

    [Fact]
    public async Task ErrorsTheCustomerReads_AreInTheirLanguage_WithTheValuesFilledIn()
    {
        var (companyId, token) = await CompanyAsync();
        var bearer = new AuthenticationHeaderValue("Bearer", token);
        await UploadAsync(companyId, bearer, "commerce", "relevé.pdf", "%PDF-1.4\n%%EOF\n"u8.ToArray(), "fr-FR,fr;q=0.9")
            .ExpectErrorAsync(HttpStatusCode.BadRequest, "Impossible d'importer des fichiers pour cette catégorie.");
        await _api.PutJsonAsync("/settings/link", new LinkSettings { Categories = { Banking = { FileUpload = true } } }).ExpectAsync(HttpStatusCode.OK);
        try
        {
            await UploadAsync(companyId, bearer, "banking", "Kontoauszug.pdf", "date,amount\n"u8.ToArray(), "de")
                .ExpectErrorAsync(HttpStatusCode.BadRequest, "Diese Datei ist keine echte PDF-Datei.");
            await UploadAsync(companyId, bearer, "banking", "statement.pdf", "date,amount\n"u8.ToArray())
                .ExpectErrorAsync(HttpStatusCode.BadRequest, "That file is not a real PDF file.");
        }
        finally
        {
            await _api.PutJsonAsync("/settings/link", new LinkSettings()).ExpectAsync(HttpStatusCode.OK); // the other tests' defaults
        }
    }

    [Fact]
    public async Task Events_RecordTheBrowserOnlySteps()
    {
        var (companyId, token) = await CompanyAsync();
        var bearer = new AuthenticationHeaderValue("Bearer", token);
        foreach (var body in new object[] { new { step = "opened" }, new { step = "consented" }, new { step = "skipped", category = "commerce" }, new { step = "completed" } })
        {
            using var answer = await SendAsync(HttpMethod.Post, $"/link/api/companies/{companyId}/events", bearer, body: body);
            Assert.Equal(HttpStatusCode.NoContent, answer.StatusCode);
        }

        var steps = await app.WithDbAsync(db => db.JourneyEvents.IgnoreQueryFilters().Where(e => e.CompanyId == Guid.Parse(companyId)).OrderBy(e => e.Id).Select(e => e.Step).ToListAsync());
        Assert.Equal([JourneyStep.Opened, JourneyStep.ConsentViewed, JourneyStep.CategorySkipped, JourneyStep.Completed], steps);
    }

    [Fact]
    public async Task SdkModule_IsServedToAnyOrigin_AndEmbedPageFramableOnlyByAllowedOrigins()
    {
        var (companyId, _) = await CompanyAsync();
        await AllowOriginsAsync(AppOrigin);

        using var module = await _http.GetAsync("/sdk/link.js");
        using var embed = await _http.GetAsync($"/link/embed/{companyId}");

        Assert.Equal(HttpStatusCode.OK, module.StatusCode);
        Assert.Equal("*", module.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("export", await module.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.EndsWith($"frame-ancestors {AppOrigin}", embed.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Contains($"data-allowed-origins=\"{AppOrigin}\"", await embed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _http.Dispose();
        _api.Dispose();
        GC.SuppressFinalize(this);
    }

    private async Task<(string CompanyId, string Token)> CompanyAsync()
    {
        var companyId = await _api.CreateCompanyAsync("Sdk Ltd");
        var token = (await _api.GetAsync($"/companies/{companyId}/accessToken").ExpectAsync(HttpStatusCode.OK))["accessToken"]!.GetValue<string>();
        return (companyId, token);
    }

    private Task<HttpResponseMessage> UploadAsync(string companyId, AuthenticationHeaderValue? authorization, string category, string fileName, byte[] content,
        string? language = null)
    {
        var form = new MultipartFormDataContent { { new StringContent(category), "category" }, { new ByteArrayContent(content), "file", fileName } };
        var request = new HttpRequestMessage(HttpMethod.Post, $"/link/api/companies/{companyId}/files") { Content = form };
        request.Headers.Authorization = authorization;
        if (language is not null)
        {
            request.Headers.AcceptLanguage.ParseAdd(language);
        }

        return _http.SendAsync(request);
    }

    private Task<JsonNode> AllowOriginsAsync(params string[] origins) =>
        _api.PostJsonAsync("/corsSettings", new { allowedOrigins = origins }).ExpectAsync(HttpStatusCode.OK);

    private Task<HttpResponseMessage> SendAsync(HttpMethod method, string url, AuthenticationHeaderValue? authorization, string? origin = null, object? body = null)
    {
        var request = new HttpRequestMessage(method, url) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Authorization = authorization;
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        return _http.SendAsync(request);
    }
}

public sealed class LinkSdkApiTests_Sqlite(SqliteLinkApp app) : LinkSdkApiTests(app), IClassFixture<SqliteLinkApp>;

public sealed class LinkSdkApiTests_Postgres(PostgresLinkApp app) : LinkSdkApiTests(app), IClassFixture<PostgresLinkApp>;

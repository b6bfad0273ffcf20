using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Consentry.Api.Tests.Contract;
using Consentry.Api.Tests.Infrastructure;
using Microsoft.AspNetCore.WebUtilities;

namespace Consentry.Api.Tests.Platforms.Xero;

/// <summary>
/// The simulator held to Xero's published documents: every answer the connector uses (the token endpoint, the Identity
/// API's connections, Organisation, Accounts, Contacts, Invoices and Payments with the parameters the connector sends)
/// validates against xero-identity.yaml and xero_accounting.yaml. Drives the simulator directly, as a vendor client would.
/// </summary>
public sealed class XeroContractTests(SqliteXeroApp app) : IClassFixture<SqliteXeroApp>
{
    private static readonly Lazy<OpenApiSchemaValidator> Accounting = new(() => new OpenApiSchemaValidator(VendorDocuments.Load("platforms/xero/xero_accounting.yaml")));
    private static readonly Lazy<OpenApiSchemaValidator> Identity = new(() => new OpenApiSchemaValidator(VendorDocuments.Load("platforms/xero/xero-identity.yaml")));

    [Fact]
    public async Task EveryAnswerTheConnectorUses_MatchesXerosDocuments()
    {
        var user = "user_multi+" + Guid.NewGuid().ToString("N")[..12];
        var tokens = await AuthorizeAsync(user, "openid offline_access accounting.settings.read accounting.contacts.read accounting.transactions.read");
        Assert.Empty(Identity.Value.Validate(tokens, "#/components/schemas/AccessToken"));
        Assert.Equal(1800, tokens["expires_in"]!.GetValue<long>());

        using var api = Bearer(tokens["access_token"]!.GetValue<string>());
        var connections = await api.GetAsync($"{app.SimulatorBase}/api/connections").ExpectAsync(HttpStatusCode.OK);
        Assert.Empty(Identity.Value.Validate(connections, "#/paths/~1Connections/get/responses/200/content/application~1json/schema"));
        var tenant = Assert.Single(connections.AsArray())!;
        Assert.Equal("ORGANISATION", tenant["tenantType"]!.GetValue<string>());
        api.DefaultRequestHeaders.Add("xero-tenant-id", tenant["tenantId"]!.GetValue<string>());

        var calls = new (string Query, string Schema, string? IfModifiedSince)[]
        {
            ("Organisation", "Organisations", null),
            ("Accounts", "Accounts", null),
            ("Contacts?where=IsCustomer%3D%3Dtrue&page=1&pageSize=25&includeArchived=true", "Contacts", null),
            ("Contacts?where=IsSupplier%3D%3Dtrue&page=1&pageSize=25&includeArchived=true", "Contacts", "2020-02-06T12:17:43.202Z"),
            ("Invoices?where=Type%3D%3D%22ACCREC%22&page=2&pageSize=25", "Invoices", null),
            ("Invoices?where=Type%3D%3D%22ACCPAY%22&page=1&pageSize=25", "Invoices", null),
            ("Payments?where=PaymentType%3D%3D%22ACCRECPAYMENT%22&page=1&pageSize=25", "Payments", null),
        };
        foreach (var (query, schema, since) in calls)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"{app.SimulatorBase}/api/api.xro/2.0/{query}");
            if (since is not null)
            {
                request.Headers.TryAddWithoutValidation("If-Modified-Since", since);
            }

            using var response = await api.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.True(response.Headers.Contains("X-MinLimit-Remaining") && response.Headers.Contains("X-DayLimit-Remaining"), query);
            var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            Assert.Empty(Accounting.Value.Validate(body, $"#/components/schemas/{schema}"));
            var items = body[schema]!.AsArray();
            Assert.NotEmpty(items);
            if (query.Contains("page=", StringComparison.Ordinal))
            {
                Assert.True(body["pagination"]!["itemCount"]!.GetValue<int>() >= items.Count, query);
            }
        }
    }

    [Fact]
    public async Task Refusals_AnswerAsXeroDoes()
    {
        var user = "user_good+" + Guid.NewGuid().ToString("N")[..12];
        var tokens = await AuthorizeAsync(user, "offline_access accounting.settings.read accounting.invoices.read");
        using var api = Bearer(tokens["access_token"]!.GetValue<string>());
        var tenantId = (await app.OrgStatsAsync(user))["tenantId"]!.GetValue<string>();
        api.DefaultRequestHeaders.Add("xero-tenant-id", tenantId);

        // Granular scope: invoices yes, contacts no.
        await api.GetAsync($"{app.SimulatorBase}/api/api.xro/2.0/Invoices?page=1").ExpectAsync(HttpStatusCode.OK);
        var forbidden = await api.GetAsync($"{app.SimulatorBase}/api/api.xro/2.0/Contacts?page=1").ExpectAsync(HttpStatusCode.Forbidden);
        Assert.Equal("AuthorizationUnsuccessful", forbidden["Detail"]!.GetValue<string>());

        await app.ControlAsync($"users/{Uri.EscapeDataString(user)}/orgs/1/failures", new { status = 429, retryAfterSeconds = 7, problem = "daily" });
        using (var limited = await api.GetAsync($"{app.SimulatorBase}/api/api.xro/2.0/Invoices?page=1"))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(7), limited.Headers.RetryAfter!.Delta);
            Assert.Equal("daily", limited.Headers.GetValues("X-Rate-Limit-Problem").Single());
        }

        await app.ControlAsync($"users/{Uri.EscapeDataString(user)}/orgs/1/disconnect");
        var gone = await api.GetAsync($"{app.SimulatorBase}/api/api.xro/2.0/Invoices?page=1").ExpectAsync(HttpStatusCode.Forbidden);
        Assert.Equal("AuthenticationUnsuccessful", gone["Detail"]!.GetValue<string>());

        // Refresh tokens rotate: the new one works, the used one does not (this host sets no grace period).
        var refreshed = await TokenAsync(new() { ["grant_type"] = "refresh_token", ["refresh_token"] = tokens["refresh_token"]!.GetValue<string>() }).ExpectAsync(HttpStatusCode.OK);
        Assert.NotEqual(tokens["refresh_token"]!.GetValue<string>(), refreshed["refresh_token"]!.GetValue<string>());
        var reused = await TokenAsync(new() { ["grant_type"] = "refresh_token", ["refresh_token"] = tokens["refresh_token"]!.GetValue<string>() }).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Equal("invalid_grant", reused["error"]!.GetValue<string>());

        // Revocation ends the grant.
        using var revoke = new HttpRequestMessage(HttpMethod.Post, $"{app.SimulatorBase}/identity/connect/revocation")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = refreshed["refresh_token"]!.GetValue<string>() }),
        };
        revoke.Headers.Authorization = Basic();
        Assert.Equal(HttpStatusCode.OK, (await new HttpClient().SendAsync(revoke)).StatusCode);
        await TokenAsync(new() { ["grant_type"] = "refresh_token", ["refresh_token"] = refreshed["refresh_token"]!.GetValue<string>() }).ExpectAsync(HttpStatusCode.BadRequest);
    }

    /// <summary>Authorization code + PKCE at the simulator: login, consent with organisation 1, code exchange.</summary>
    private async Task<JsonNode> AuthorizeAsync(string user, string scope)
    {
        var verifier = Consentry.Connectors.OAuth2.OAuthConnector.NewSecret();
        var redirect = $"{app.BaseUrl}/link/oauth/callback/gbol";
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false });
        var authorize = QueryHelpers.AddQueryString($"{app.SimulatorBase}/login/identity/connect/authorize", new Dictionary<string, string?>
        {
            ["response_type"] = "code", ["client_id"] = XeroApp.ClientId, ["redirect_uri"] = redirect, ["scope"] = scope, ["state"] = "s1",
            ["code_challenge"] = Consentry.Connectors.OAuth2.OAuthConnector.Challenge(verifier), ["code_challenge_method"] = "S256",
        });
        var login = await browser.GetStringAsync(authorize);
        var handle = System.Text.RegularExpressions.Regex.Match(login, "name=\"request\" value=\"([^\"]+)\"").Groups[1].Value;
        using var consent = await browser.PostAsync($"{app.SimulatorBase}/login/identity/connect/login",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["request"] = handle, ["username"] = user, ["password"] = "pass_good" }));
        Assert.Equal(HttpStatusCode.OK, consent.StatusCode);
        using var back = await browser.PostAsync($"{app.SimulatorBase}/login/identity/connect/consent/allow",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["request"] = handle, ["org-1"] = "on" }));
        Assert.Equal(HttpStatusCode.Found, back.StatusCode);
        var query = QueryHelpers.ParseQuery(back.Headers.Location!.Query);
        Assert.Equal("s1", query["state"].ToString());
        return await TokenAsync(new()
        {
            ["grant_type"] = "authorization_code", ["code"] = query["code"].ToString(), ["redirect_uri"] = redirect, ["code_verifier"] = verifier,
        }).ExpectAsync(HttpStatusCode.OK);
    }

    private Task<HttpResponseMessage> TokenAsync(Dictionary<string, string> form)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"{app.SimulatorBase}/identity/connect/token") { Content = new FormUrlEncodedContent(form) };
        request.Headers.Authorization = Basic();
        return new HttpClient().SendAsync(request);
    }

    private static AuthenticationHeaderValue Basic() =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{XeroApp.ClientId}:{XeroApp.ClientSecret}")));

    private static HttpClient Bearer(string token)
    {
        var client = new HttpClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return client;
    }
}

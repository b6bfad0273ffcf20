using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Consentry.Api.Tests.Infrastructure;
using Consentry.Connectors.Platforms.QuickBooks;
using Consentry.Sandbox.Simulators.QuickBooks;
using Microsoft.AspNetCore.WebUtilities;

namespace Consentry.Api.Tests.Platforms.QuickBooks;

/// <summary>
/// The simulator held to Intuit's published examples (<see cref="IntuitExamples"/>): every answer the connector uses
/// (tokens, company info, each entity's query, Change Data Capture, faults) has the shape of Intuit's sample, field
/// for field: the same names with the same JSON kinds, and nothing the sample (or the entity's reference) lacks.
/// </summary>
public sealed class QuickBooksContractTests(SqliteQuickBooksApp app) : IClassFixture<SqliteQuickBooksApp>
{
    /// <summary>Fields the simulator sends that Intuit's samples happen not to show, each documented in the entity's reference.</summary>
    private static readonly Dictionary<string, string[]> AlsoDocumented = new()
    {
        ["Account"] = ["AcctNum"],
        ["Customer"] = ["CurrencyRef"],
        ["Vendor"] = ["CurrencyRef"],
        ["Invoice"] = ["CurrencyRef", "AllowOnlineCreditCardPayment", "PrivateNote"],
        ["Bill"] = ["DocNumber", "PrivateNote"],
        ["Payment"] = ["CurrencyRef", "PaymentMethodRef", "PaymentRefNum", "PrivateNote"],
        ["CompanyInfo"] = [],
    };

    private static readonly Dictionary<string, string> Samples = new()
    {
        ["Account"] = IntuitExamples.Account,
        ["Customer"] = IntuitExamples.Customer,
        ["Vendor"] = IntuitExamples.Vendor,
        ["Invoice"] = IntuitExamples.Invoice,
        ["Bill"] = IntuitExamples.Bill,
        ["Payment"] = IntuitExamples.Payment,
    };

    [Fact]
    public async Task TokenAnswers_HaveIntuitsShape_RefreshTokensRotate_AndRevocationTakesJson()
    {
        var (tokens, _) = await AuthorizeAsync();
        AssertShape(JsonNode.Parse(IntuitExamples.TokenResponse)!, tokens, "token", []);
        Assert.Equal(3600, tokens["expires_in"]!.GetValue<long>());
        Assert.InRange(tokens["x_refresh_token_expires_in"]!.GetValue<long>(), (100 * 86_400) - 5, 100 * 86_400);

        // A refresh answers a new refresh token; the one it replaced is refused from then on.
        var first = tokens["refresh_token"]!.GetValue<string>();
        var refreshed = await TokenAsync(new() { ["grant_type"] = "refresh_token", ["refresh_token"] = first }).ExpectAsync(HttpStatusCode.OK);
        AssertShape(JsonNode.Parse(IntuitExamples.TokenResponse)!, refreshed, "refresh", []);
        Assert.NotEqual(first, refreshed["refresh_token"]!.GetValue<string>());
        var reused = await TokenAsync(new() { ["grant_type"] = "refresh_token", ["refresh_token"] = first }).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Equal("invalid_grant", reused["error"]!.GetValue<string>());

        // Revocation: basic auth and a JSON body; the grant's refresh token no longer works.
        var latest = refreshed["refresh_token"]!.GetValue<string>();
        using var revoke = await Client().PostAsJsonAsync("developer/v2/oauth2/tokens/revoke", new { token = latest });
        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        var revoked = await TokenAsync(new() { ["grant_type"] = "refresh_token", ["refresh_token"] = latest }).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Equal("invalid_grant", revoked["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task CompanyInfoAndEveryEntitysQuery_AnswerInTheShapeOfIntuitsSamples()
    {
        var (tokens, realmId) = await AuthorizeAsync();
        var api = Api(tokens["access_token"]!.GetValue<string>());

        var info = await api.GetAsync($"v3/company/{realmId}/companyinfo/{realmId}?minorversion=75").ExpectAsync(HttpStatusCode.OK);
        AssertShape(JsonNode.Parse(IntuitExamples.CompanyInfo)!, info, "companyinfo", AlsoDocumented["CompanyInfo"]);

        foreach (var (entity, sample) in Samples)
        {
            var query = QuickBooksConnector.Query(entity, new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc), 1, 5);
            var answer = await api.GetAsync($"v3/company/{realmId}/query?query={Uri.EscapeDataString(query)}&minorversion=75").ExpectAsync(HttpStatusCode.OK);
            Assert.Equal(IntuitExamples.QueryResponseKeys.Split(','), answer.AsObject().Select(p => p.Key));
            var response = answer["QueryResponse"]!.AsObject();
            Assert.Equal([entity, "startPosition", "maxResults"], response.Select(p => p.Key));
            Assert.Equal(5, response["maxResults"]!.GetValue<int>());
            var documented = JsonNode.Parse(sample)![entity]!;
            foreach (var record in response[entity]!.AsArray())
            {
                AssertShape(documented, record!, entity, AlsoDocumented[entity]);
            }
        }
    }

    [Fact]
    public async Task ChangeDataCaptureAndFaults_HaveIntuitsShapes()
    {
        var (tokens, realmId) = await AuthorizeAsync();
        var api = Api(tokens["access_token"]!.GetValue<string>());
        var since = DateTime.UtcNow.AddDays(-1).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        app.Time.Advance(TimeSpan.FromSeconds(5));
        await app.ControlAsync($"companies/{realmId}/Invoice/3/delete");

        var changes = await api.GetAsync($"v3/company/{realmId}/cdc?entities=Invoice&changedSince={since}&minorversion=75").ExpectAsync(HttpStatusCode.OK);
        var deleted = changes["CDCResponse"]![0]!["QueryResponse"]![0]!["Invoice"]!.AsArray().Single(i => i!["status"]?.GetValue<string>() == "Deleted")!;
        var documentedDeletion = JsonNode.Parse(IntuitExamples.ChangeDataCapture)!["CDCResponse"]![0]!["QueryResponse"]![0]!["Invoice"]![0]!;
        AssertShape(documentedDeletion, deleted, "cdc", []);
        Assert.Equal("3", deleted["Id"]!.GetValue<string>());

        var fault = JsonNode.Parse(IntuitExamples.ValidationFault)!;
        var bad = await api.GetAsync($"v3/company/{realmId}/query?query={Uri.EscapeDataString("select Id from Invoice where TotalAmt > 1")}").ExpectAsync(HttpStatusCode.BadRequest);
        AssertShape(fault, bad, "400", []);
        Assert.Equal("4000", bad["Fault"]!["Error"]![0]!["code"]!.GetValue<string>());

        var unauthorized = await Api("not-a-token").GetAsync($"v3/company/{realmId}/query?query=select%20*%20from%20Invoice").ExpectAsync(HttpStatusCode.Unauthorized);
        AssertShape(fault, unauthorized, "401", []);
        Assert.Equal("3200", unauthorized["Fault"]!["Error"]![0]!["code"]!.GetValue<string>());

        await app.ControlAsync($"companies/{realmId}/fail?status=429&count=1");
        using var throttled = await api.GetAsync($"v3/company/{realmId}/companyinfo/{realmId}");
        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        var throttleFault = await throttled.ReadNodeAsync();
        AssertShape(fault, throttleFault, "429", []);
        Assert.Equal("3001", throttleFault["Fault"]!["Error"]![0]!["code"]!.GetValue<string>());
        Assert.Contains("ThrottleExceeded", throttleFault["Fault"]!["Error"]![0]!["Message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    /// <summary>
    /// Every field of <paramref name="simulated"/> is in <paramref name="documented"/> (or <paramref name="alsoDocumented"/>)
    /// with the same JSON kind, recursively (an array's items against the sample's first item).
    /// </summary>
    private static void AssertShape(JsonNode documented, JsonNode simulated, string path, string[] alsoDocumented)
    {
        Assert.True(documented.GetValueKind() == simulated.GetValueKind()
            || (documented.GetValueKind() is System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False
                && simulated.GetValueKind() is System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False),
            $"{path}: Intuit's sample has {documented.GetValueKind()}, the simulator {simulated.GetValueKind()}");
        switch (simulated)
        {
            case JsonObject obj:
                foreach (var (name, value) in obj)
                {
                    if (documented[name] is { } expected)
                    {
                        if (value is not null)
                        {
                            AssertShape(expected, value, $"{path}.{name}", []);
                        }
                    }
                    else
                    {
                        // An empty sample object (CompanyInfo's WebAddr: {}) documents the object, not its fields.
                        Assert.True(alsoDocumented.Contains(name) || documented.AsObject().Count == 0, $"{path}.{name} is not in Intuit's sample");
                    }
                }

                break;
            case JsonArray array when documented.AsArray().Count > 0:
                foreach (var item in array)
                {
                    var sample = documented.AsArray().FirstOrDefault(d => d?["DetailType"]?.ToString() == item?["DetailType"]?.ToString()) ?? documented[0]!;
                    AssertShape(sample, item!, $"{path}[]", []);
                }

                break;
        }
    }

    /// <summary>The authorization code flow against the simulator alone, as Consentry's registered client: tokens and realmId.</summary>
    private async Task<(JsonNode Tokens, string RealmId)> AuthorizeAsync()
    {
        var user = "user_good+" + Guid.NewGuid().ToString("N")[..12];
        var callback = $"{app.BaseUrl}/link/oauth/callback/qhyg";
        using var browser = app.Browser();
        await browser.GoAsync(QueryHelpers.AddQueryString($"{QuickBooksApp.Simulator}/appcenter/connect/oauth2", new Dictionary<string, string?>
        {
            ["client_id"] = QuickBooksSimulator.SimulatorClientId, ["response_type"] = "code", ["scope"] = "com.intuit.quickbooks.accounting",
            ["redirect_uri"] = callback, ["state"] = "contract-test",
        }));
        await browser.SubmitAsync("oauth2/login", new() { ["username"] = user, ["password"] = "pass_good" });
        await browser.SubmitAsync("oauth2/choose", new() { ["realmId"] = (await app.CompaniesAsync(user))[0] });
        var back = browser.Visited.First(u => u.AbsolutePath == "/link/oauth/callback/qhyg");
        var query = QueryHelpers.ParseQuery(back.Query);
        Assert.Equal("contract-test", query["state"].ToString());
        var tokens = await TokenAsync(new() { ["grant_type"] = "authorization_code", ["code"] = query["code"].ToString(), ["redirect_uri"] = callback })
            .ExpectAsync(HttpStatusCode.OK);
        return (tokens, query["realmId"].ToString());
    }

    private Task<HttpResponseMessage> TokenAsync(Dictionary<string, string> form) =>
        Client().PostAsync("oauth/oauth2/v1/tokens/bearer", new FormUrlEncodedContent(form));

    private HttpClient Client()
    {
        var client = new HttpClient { BaseAddress = new Uri($"{app.BaseUrl}{QuickBooksApp.Simulator}/") };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(
            Encoding.UTF8.GetBytes($"{QuickBooksSimulator.SimulatorClientId}:{QuickBooksSimulator.SimulatorClientSecret}")));
        return client;
    }

    private HttpClient Api(string accessToken)
    {
        var client = new HttpClient { BaseAddress = new Uri($"{app.BaseUrl}{QuickBooksApp.Simulator}/api/") };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return client;
    }
}

using System.Net;
using System.Text.Json.Nodes;
using Consentry.Api.Tests.Infrastructure;
using Microsoft.AspNetCore.WebUtilities;
using Stripe;

namespace Consentry.Api.Tests.Platforms.Stripe;

/// <summary>
/// The simulator held to Stripe: every answer the connector uses (Connect's token and deauthorize answers, the account,
/// the lists with the parameters the connector sends, the error and 429 bodies) deserializes through Stripe.net's own
/// models, and every object has the shape of its fixture in Stripe's fixtures3.json (github.com/stripe/openapi): the
/// same fields, each of the same JSON kind. Drives the simulator directly, as a Stripe client would.
/// </summary>
public sealed class StripeContractTests(SqliteStripeApp app) : IClassFixture<SqliteStripeApp>
{
    private static readonly Lazy<JsonObject> Fixtures = new(() => VendorDocuments.Load("platforms/stripe/fixtures3.json")["resources"]!.AsObject());

    [Fact]
    public async Task EveryAnswerTheConnectorUses_ReadsThroughStripeNet_AndHasTheFixturesShape()
    {
        var user = StripeApp.NewUser();
        var token = await AuthorizeAsync(user);
        var oauth = StripeEntity.FromJson<OAuthToken>(token.ToJsonString());
        Assert.StartsWith("acct_", oauth.StripeUserId, StringComparison.Ordinal);
        Assert.Equal("read_only", oauth.Scope);
        Assert.False(oauth.Livemode);

        using var api = app.StripeApi(StripeApp.PlatformKey, oauth.StripeUserId);
        var accountJson = await api.GetAsync("v1/account").ExpectAsync(HttpStatusCode.OK);
        AssertShape("account", accountJson);
        Assert.Equal(oauth.StripeUserId, StripeEntity.FromJson<Account>(accountJson.ToJsonString()).Id);

        var since = DateTimeOffset.Parse("2026-08-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeSeconds();
        await ListAsync<Customer>(api, "customers", "customer", "limit=10", c => Assert.StartsWith("cus_", c.Id, StringComparison.Ordinal));
        var customers = await ListAsync<Customer>(api, "customers", "customer", "limit=5", _ => { });
        Assert.True(customers.HasMore);
        var next = await ListAsync<Customer>(api, "customers", "customer", $"limit=5&starting_after={customers.Data[^1].Id}", _ => { });
        Assert.Empty(next.Data.Select(c => c.Id).Intersect(customers.Data.Select(c => c.Id)));
        await ListAsync<Product>(api, "products", "product", "limit=10&expand[0]=data.default_price",
            p => Assert.True(p.DefaultPrice is { UnitAmount: > 0 } price && price.Id == p.DefaultPriceId));
        await ListAsync<Charge>(api, "charges", "charge", $"limit=10&created[gte]={since}",
            c => Assert.True(new DateTimeOffset(c.Created).ToUnixTimeSeconds() >= since));
        await ListAsync<BalanceTransaction>(api, "balance_transactions", "balance_transaction", "limit=100", t => Assert.StartsWith("txn_", t.Id, StringComparison.Ordinal));
        await ListAsync<Dispute>(api, "disputes", "dispute", "limit=10", d => Assert.StartsWith("ch_", d.ChargeId, StringComparison.Ordinal));
        await ListAsync<Payout>(api, "payouts", "payout", "limit=10", p => Assert.Equal("paid", p.Status));
        await ListAsync<PaymentIntent>(api, "payment_intents", "payment_intent", "limit=10", p => Assert.Equal("succeeded", p.Status));

        // Stripe's error bodies, read by Stripe.net: 429 rate_limit with Stripe-Should-Retry, then a bad key.
        await app.ControlAsync($"users/{Uri.EscapeDataString(user)}/failures", new { status = 429, code = "lock_timeout" });
        using (var limited = await api.GetAsync("v1/customers?limit=10"))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
            Assert.Equal("true", limited.Headers.GetValues("Stripe-Should-Retry").Single());
            var error = StripeEntity.FromJson<StripeError>(JsonNode.Parse(await limited.Content.ReadAsStringAsync())!["error"]!.ToJsonString());
            Assert.Equal(("invalid_request_error", "lock_timeout"), (error.Type, error.Code));
        }

        var refused = await app.StripeApi("sk_test_not_the_platform").GetAsync("v1/customers").ExpectAsync(HttpStatusCode.Unauthorized);
        Assert.Equal("invalid_request_error", StripeEntity.FromJson<StripeError>(refused["error"]!.ToJsonString()).Type);

        // Deauthorize: Stripe's answer names the account; afterwards the platform's key no longer reaches it.
        using var deauthorize = new HttpRequestMessage(HttpMethod.Post, $"{app.SimulatorBase}/oauth/deauthorize")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["client_id"] = StripeApp.ClientId, ["stripe_user_id"] = oauth.StripeUserId }),
        };
        deauthorize.Headers.Authorization = new("Bearer", StripeApp.PlatformKey);
        var deauthorized = await new HttpClient().SendAsync(deauthorize);
        Assert.Equal(HttpStatusCode.OK, deauthorized.StatusCode);
        Assert.Equal(oauth.StripeUserId, StripeEntity.FromJson<OAuthDeauthorize>(await deauthorized.Content.ReadAsStringAsync()).StripeUserId);
        var gone = await api.GetAsync("v1/customers").ExpectAsync(HttpStatusCode.Forbidden);
        Assert.Equal("account_invalid", StripeEntity.FromJson<StripeError>(gone["error"]!.ToJsonString()).Code);
    }

    /// <summary>One list call: Stripe's envelope, each object of the fixture's shape and read by Stripe.net.</summary>
    private static async Task<StripeList<T>> ListAsync<T>(HttpClient api, string path, string fixture, string query, Action<T> check)
        where T : IStripeEntity
    {
        var body = await api.GetAsync($"v1/{path}?{query}").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("list", body["object"]!.GetValue<string>());
        Assert.Equal($"/v1/{path}", body["url"]!.GetValue<string>());
        Assert.NotNull(body["has_more"]);
        Assert.NotEmpty(body["data"]!.AsArray());
        Assert.All(body["data"]!.AsArray(), o => AssertShape(fixture, o!));
        var list = StripeEntity.FromJson<StripeList<T>>(body.ToJsonString());
        Assert.Equal(body["data"]!.AsArray().Count, list.Data.Count);
        Assert.All(list.Data, check);
        return list;
    }

    /// <summary>The same fields as the fixture, each of the same JSON kind where both have a value (an expanded id may be its object).</summary>
    private static void AssertShape(string fixture, JsonNode actual)
    {
        var problems = new List<string>();
        Compare(Fixtures.Value[fixture]!, actual, fixture, problems);
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    private static void Compare(JsonNode expected, JsonNode actual, string path, List<string> problems)
    {
        if (expected is JsonObject e && actual is JsonObject a)
        {
            problems.AddRange(e.Select(p => p.Key).Except(a.Select(p => p.Key)).Select(k => $"{path}.{k} is missing"));
            problems.AddRange(a.Select(p => p.Key).Except(e.Select(p => p.Key)).Select(k => $"{path}.{k} is not in Stripe's fixture"));
            foreach (var (key, value) in e)
            {
                if (value is not null && a[key] is { } other)
                {
                    Compare(value, other, $"{path}.{key}", problems);
                }
            }
        }
        else if (expected.GetValueKind() != actual.GetValueKind()
            && !(expected.GetValueKind() == System.Text.Json.JsonValueKind.String && actual is JsonObject { } expanded && expanded.ContainsKey("id"))
            && !(expected.GetValueKind() is System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False && actual.GetValueKind() is System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False))
        {
            problems.Add($"{path} is {actual.GetValueKind()}, Stripe's fixture has {expected.GetValueKind()}");
        }
    }

    /// <summary>Connect OAuth at the simulator: sign in, connect, redeem the code with the platform's secret key.</summary>
    private async Task<JsonNode> AuthorizeAsync(string user)
    {
        var redirect = $"{app.BaseUrl}/link/oauth/callback/exgd";
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false });
        var login = await browser.GetStringAsync(QueryHelpers.AddQueryString($"{app.SimulatorBase}/oauth/authorize", new Dictionary<string, string?>
        {
            ["response_type"] = "code", ["client_id"] = StripeApp.ClientId, ["redirect_uri"] = redirect, ["scope"] = "read_only", ["state"] = "s1",
        }));
        var handle = System.Text.RegularExpressions.Regex.Match(login, "name=\"request\" value=\"([^\"]+)\"").Groups[1].Value;
        using var consent = await browser.PostAsync($"{app.SimulatorBase}/oauth/login",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["request"] = handle, ["username"] = user, ["password"] = "pass_good" }));
        Assert.Equal(HttpStatusCode.OK, consent.StatusCode);
        using var back = await browser.PostAsync($"{app.SimulatorBase}/oauth/consent/allow", new FormUrlEncodedContent(new Dictionary<string, string> { ["request"] = handle }));
        Assert.Equal(HttpStatusCode.Found, back.StatusCode);
        var query = QueryHelpers.ParseQuery(back.Headers.Location!.Query);
        Assert.Equal("s1", query["state"].ToString());
        var token = await new HttpClient().PostAsync($"{app.SimulatorBase}/oauth/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code", ["code"] = query["code"].ToString(), ["client_secret"] = StripeApp.PlatformKey,
        })).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("bearer", token["token_type"]!.GetValue<string>());
        return token;
    }
}

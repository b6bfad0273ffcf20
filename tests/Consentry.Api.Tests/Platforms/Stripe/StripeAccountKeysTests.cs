using System.Net;
using System.Text.Json.Nodes;
using Consentry.Api.Tests.Infrastructure;

namespace Consentry.Api.Tests.Platforms.Stripe;

/// <summary>
/// The simulator's <c>GET /v1/account</c> with each kind of key a client can hold: the platform's secret key with a
/// <c>Stripe-Account</c> header (after Connect), a test user's restricted key <c>rk_test_sim_{username}</c>, and wrong ones
/// (401 with Stripe's error body), a rolled key (401 <c>api_key_expired</c>) and a deauthorized account (403 <c>account_invalid</c>).
/// </summary>
public sealed class StripeAccountKeysTests(SqliteStripeApp app) : IClassFixture<SqliteStripeApp>
{
    [Fact]
    public async Task RestrictedKey_AnswersItsAccount_AndAWrongKeyIsRefusedWithStripesError()
    {
        var user = StripeApp.NewUser();
        var keys = await app.StripeControl().GetAsync($"control/users/{Uri.EscapeDataString(user)}/keys").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal($"rk_test_sim_{user}", keys["restrictedKey"]!.GetValue<string>());

        var account = await app.StripeApi($"rk_test_sim_{user}").GetAsync("v1/account").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("account", account["object"]!.GetValue<string>());
        Assert.Equal(keys["account"]!.GetValue<string>(), account["id"]!.GetValue<string>());
        Assert.StartsWith("acct_", account["id"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains(user, account["business_profile"]!["name"]!.GetValue<string>(), StringComparison.Ordinal);

        foreach (var wrong in new[] { "rk_test_sim_user_bad", "rk_test_" + Guid.NewGuid().ToString("N"), "sk_test_wrong_platform_key" })
        {
            var refused = await app.StripeApi(wrong).GetAsync("v1/account").ExpectAsync(HttpStatusCode.Unauthorized);
            Assert.Equal("invalid_request_error", refused["error"]!["type"]!.GetValue<string>());
            Assert.StartsWith("Invalid API Key provided", refused["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.DoesNotContain(wrong, refused.ToJsonString(), StringComparison.Ordinal);
        }

        await app.ControlAsync($"users/{Uri.EscapeDataString(user)}/keys/roll");
        var expired = await app.StripeApi($"rk_test_sim_{user}").GetAsync("v1/account").ExpectAsync(HttpStatusCode.Unauthorized);
        Assert.Equal("api_key_expired", expired["error"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task PlatformKeyWithStripeAccount_AnswersTheConnectedAccount_UntilItDeauthorizes()
    {
        var user = StripeApp.NewUser();
        await app.LinkStripeAsync(user);
        var accountId = (await app.StatsAsync(user))["account"]!.GetValue<string>();

        var account = await app.StripeApi(StripeApp.PlatformKey, accountId).GetAsync("v1/account").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(accountId, account["id"]!.GetValue<string>());

        // Another user's account never connected to the platform.
        var other = await app.StripeApi(StripeApp.PlatformKey, "acct_1NotConnected00000").GetAsync("v1/account").ExpectAsync(HttpStatusCode.Forbidden);
        Assert.Equal("account_invalid", other["error"]!["code"]!.GetValue<string>());

        await app.ControlAsync($"users/{Uri.EscapeDataString(user)}/deauthorize");
        var gone = await app.StripeApi(StripeApp.PlatformKey, accountId).GetAsync("v1/account").ExpectAsync(HttpStatusCode.Forbidden);
        Assert.Equal("account_invalid", gone["error"]!["code"]!.GetValue<string>());
        Assert.Contains("Application access may have been revoked", gone["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}

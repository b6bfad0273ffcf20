using System.Text;
using System.Text.Json.Nodes;
using Consentry.Sandbox.OAuth;
using Microsoft.AspNetCore.Http;

namespace Consentry.Sandbox.Simulators.Stripe;

/// <summary>
/// connect.stripe.com's <c>oauth/token</c> and <c>oauth/deauthorize</c>. Both authenticate the platform by its secret key
/// (<c>client_secret</c> in the form, or HTTP Basic with the key as user name). The token answer carries Stripe's
/// <c>stripe_user_id</c>, <c>stripe_publishable_key</c> and <c>livemode</c>; tokens do not expire and refresh tokens do not
/// rotate. Deauthorizing ends the platform's access to the account and every token issued for it.
/// </summary>
internal static class StripeConnectTokens
{
    public static async Task<IResult> TokenAsync(HttpContext context, StripeSimulator sim)
    {
        context.Response.Headers.CacheControl = "no-store";
        var form = context.Request.HasFormContentType ? await context.Request.ReadFormAsync(context.RequestAborted) : null;
        if (form is null || !sim.IsPlatformKey(SecretKey(context, form)))
        {
            return OAuthError("invalid_client", "No authentication was provided. Send your secret API key as client_secret.", StatusCodes.Status401Unauthorized);
        }

        switch ((string?)form["grant_type"])
        {
            case "authorization_code":
                var codeText = (string?)form["code"] ?? "";
                if (!sim.State.Codes.TryRemove(codeText, out var code) || code.ExpiresAt <= sim.Now)
                {
                    return OAuthError("invalid_grant", $"Authorization code does not exist: {codeText}");
                }

                if (StripeUsers.BehaviourOf(code.Username) == StripeUserBehaviour.FailsTokenExchange)
                {
                    return OAuthError("server_error", "An unknown error occurred (simulated for user_error).", StatusCodes.Status500InternalServerError);
                }

                var accountId = StripeUsers.AccountIdOf(code.Username);
                var refreshToken = "rt_" + Secrets.NewToken();
                sim.State.RefreshTokens[refreshToken] = accountId;
                return Issue(sim, accountId, code.Scope, refreshToken);

            case "refresh_token":
                var refreshText = (string?)form["refresh_token"] ?? "";
                if (!sim.State.RefreshTokens.TryGetValue(refreshText, out var refreshAccount) || !sim.State.Connected.TryGetValue(refreshAccount, out var connection))
                {
                    return OAuthError("invalid_grant", $"Refresh token does not exist: {refreshText}");
                }

                return Issue(sim, refreshAccount, connection.Scope, refreshText);

            default:
                return OAuthError("unsupported_grant_type", $"Unsupported grant type: {(string?)form["grant_type"]}");
        }
    }

    public static async Task<IResult> DeauthorizeAsync(HttpContext context, StripeSimulator sim)
    {
        var form = context.Request.HasFormContentType ? await context.Request.ReadFormAsync(context.RequestAborted) : null;
        if (form is null || !sim.IsPlatformKey(SecretKey(context, form)))
        {
            return OAuthError("invalid_client", "No authentication was provided. Send your secret API key.", StatusCodes.Status401Unauthorized);
        }

        if ((string?)form["client_id"] != sim.ClientId)
        {
            return OAuthError("invalid_client", $"No such application: '{(string?)form["client_id"]}'");
        }

        var accountId = (string?)form["stripe_user_id"] ?? "";
        return sim.State.Deauthorize(accountId)
            ? Results.Text(new JsonObject { ["stripe_user_id"] = accountId }.ToJsonString(), "application/json")
            : OAuthError("invalid_client", $"This application is not connected to stripe account {accountId}, or that account does not exist.", StatusCodes.Status401Unauthorized);
    }

    private static IResult Issue(StripeSimulator sim, string accountId, string scope, string refreshToken)
    {
        var access = "sk_test_" + Secrets.NewToken();
        sim.State.AccessTokens[access] = accountId;
        var body = new JsonObject
        {
            ["access_token"] = access,
            ["livemode"] = false,
            ["refresh_token"] = refreshToken,
            ["token_type"] = "bearer",
            ["stripe_publishable_key"] = "pk_test_" + StripeUsers.Alphanumeric(accountId, 24),
            ["stripe_user_id"] = accountId,
            ["scope"] = scope,
        };
        return Results.Text(body.ToJsonString(), "application/json");
    }

    /// <summary>The platform's secret key: <c>client_secret</c>, or HTTP Basic (key as user name, or Basic id:secret).</summary>
    private static string? SecretKey(HttpContext context, IFormCollection form)
    {
        if ((string?)form["client_secret"] is { Length: > 0 } secret)
        {
            return secret;
        }

        var header = context.Request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return header["Bearer ".Length..].Trim();
        }

        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        try
        {
            var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..].Trim()));
            var colon = decoded.IndexOf(':', StringComparison.Ordinal);
            var (user, password) = colon < 0 ? (decoded, "") : (Uri.UnescapeDataString(decoded[..colon]), Uri.UnescapeDataString(decoded[(colon + 1)..]));
            return password.Length > 0 ? password : user;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static IResult OAuthError(string error, string description, int status = StatusCodes.Status400BadRequest) =>
        Results.Text(new JsonObject { ["error"] = error, ["error_description"] = description }.ToJsonString(), "application/json", statusCode: status);
}

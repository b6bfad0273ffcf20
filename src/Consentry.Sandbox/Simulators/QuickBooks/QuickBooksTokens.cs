using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Consentry.Sandbox.OAuth;
using Consentry.Sandbox.Pages;
using Microsoft.AspNetCore.Http;

namespace Consentry.Sandbox.Simulators.QuickBooks;

/// <summary>
/// Intuit's token endpoint (<c>POST /oauth2/v1/tokens/bearer</c>, client_secret_basic, form body) and revocation
/// endpoint (<c>POST /v2/oauth2/tokens/revoke</c>, basic auth, JSON body <c>{"token": "…"}</c>).
/// </summary>
internal static class QuickBooksTokens
{
    public static async Task<IResult> TokenAsync(HttpContext context, QuickBooksSimulator simulator)
    {
        HtmlPage.SecureHeaders(context);
        if (!ClientAuthenticated(context, simulator))
        {
            return Error(StatusCodes.Status401Unauthorized, "invalid_client");
        }

        if (!context.Request.HasFormContentType)
        {
            return Error(StatusCodes.Status400BadRequest, "invalid_request");
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        QuickBooksGrant? grant;
        switch ((string?)form["grant_type"])
        {
            case "authorization_code":
                grant = simulator.Auth.Redeem((string?)form["code"] ?? "", form["redirect_uri"]);
                if (grant is null)
                {
                    return Error(StatusCodes.Status400BadRequest, "invalid_grant");
                }

                if (QuickBooksCompanies.Profile(grant.Username)?.Kind == QuickBooksUserKind.FailsTokenExchange)
                {
                    return Error(StatusCodes.Status500InternalServerError, "server_error");
                }

                break;
            case "refresh_token":
                // A used (superseded), revoked or expired refresh token, or a company that disconnected the app.
                grant = simulator.Auth.ByRefreshToken((string?)form["refresh_token"] ?? "");
                if (grant is null || simulator.Companies.Find(grant.RealmId) is { Disconnected: true })
                {
                    return Error(StatusCodes.Status400BadRequest, "invalid_grant");
                }

                break;
            default:
                return Error(StatusCodes.Status400BadRequest, "unsupported_grant_type");
        }

        var (access, refresh) = simulator.Auth.Issue(grant);
        return Results.Json(new Dictionary<string, object>
        {
            ["token_type"] = "bearer",
            ["access_token"] = access,
            ["expires_in"] = (long)QuickBooksAuthState.AccessLifetime.TotalSeconds,
            ["refresh_token"] = refresh,
            ["x_refresh_token_expires_in"] = (long)(grant.RefreshExpires - simulator.Time.GetUtcNow()).TotalSeconds,
        });
    }

    public static async Task<IResult> RevokeAsync(HttpContext context, QuickBooksSimulator simulator)
    {
        HtmlPage.SecureHeaders(context);
        if (!ClientAuthenticated(context, simulator))
        {
            return Error(StatusCodes.Status401Unauthorized, "invalid_client");
        }

        string? token = null;
        try
        {
            using var body = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            token = body.RootElement.ValueKind == JsonValueKind.Object && body.RootElement.TryGetProperty("token", out var t) && t.ValueKind == JsonValueKind.String
                ? t.GetString() : null;
        }
        catch (JsonException)
        {
        }

        if (string.IsNullOrEmpty(token))
        {
            return Error(StatusCodes.Status400BadRequest, "invalid_request");
        }

        // Intuit answers 200 with an empty body once the token is revoked (and for a token it no longer knows).
        simulator.Auth.Revoke(token);
        return Results.Ok();
    }

    public static bool ClientAuthenticated(HttpContext context, QuickBooksSimulator simulator)
    {
        if (!AuthenticationHeaderValue.TryParse(context.Request.Headers.Authorization, out var header) || header.Scheme != "Basic" || header.Parameter is null)
        {
            return false;
        }

        try
        {
            var pair = Encoding.UTF8.GetString(Convert.FromBase64String(header.Parameter)).Split(':', 2);
            return pair.Length == 2 && Uri.UnescapeDataString(pair[0]) == simulator.ClientId
                && Secrets.FixedTimeEquals(Uri.UnescapeDataString(pair[1]), simulator.ClientSecret);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static IResult Error(int status, string error) => Results.Json(new Dictionary<string, string> { ["error"] = error }, statusCode: status);
}

using System.Text.Json;
using Consentry.Sandbox.OAuth;
using Consentry.Sandbox.Pages;
using Microsoft.AspNetCore.Http;

namespace Consentry.Sandbox.Simulators.Shopify;

/// <summary>
/// <c>POST https://{shop}.myshopify.com/admin/oauth/access_token</c> with <c>client_id</c>, <c>client_secret</c> and
/// <c>code</c> (form or JSON). Answers an offline token: <c>{"access_token": "shpua_…", "scope": "read_orders,…"}</c>,
/// with no refresh token and no expiry.
/// </summary>
internal static class ShopifyTokens
{
    public static async Task<IResult> AccessTokenAsync(HttpContext context, ShopifySimulator simulator, string shop)
    {
        HtmlPage.SecureHeaders(context);
        var values = await ReadAsync(context);
        if (simulator.Find(shop) is { } counted)
        {
            lock (counted.Lock)
            {
                counted.TokenRequests++;
            }
        }

        if (values.GetValueOrDefault("client_id") != simulator.ClientId
            || !Secrets.FixedTimeEquals(values.GetValueOrDefault("client_secret") ?? "", simulator.ClientSecret))
        {
            return Error(StatusCodes.Status401Unauthorized, "invalid_client", "Client credentials are invalid.");
        }

        if (simulator.Redeem(shop, values.GetValueOrDefault("code") ?? "") is not { } grant)
        {
            return Error(StatusCodes.Status400BadRequest, "invalid_request", "The authorization code was not found or was already used.");
        }

        if (grant.Username.StartsWith("user_error", StringComparison.Ordinal))
        {
            return Error(StatusCodes.Status500InternalServerError, "server_error", "Something went wrong on Shopify's side.");
        }

        return Results.Json(new Dictionary<string, string>
        {
            ["access_token"] = simulator.IssueToken(shop, grant.Scope),
            ["scope"] = grant.Scope,
        });
    }

    private static async Task<Dictionary<string, string>> ReadAsync(HttpContext context)
    {
        if (context.Request.HasFormContentType)
        {
            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            return form.ToDictionary(f => f.Key, f => f.Value.ToString(), StringComparer.Ordinal);
        }

        try
        {
            using var json = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            return json.RootElement.ValueKind != JsonValueKind.Object ? [] : json.RootElement.EnumerateObject()
                .Where(p => p.Value.ValueKind == JsonValueKind.String).ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.Ordinal);
        }
        catch (JsonException)
        {
            return [];
        }
    }

    private static IResult Error(int status, string error, string description) =>
        Results.Json(new Dictionary<string, string> { ["error"] = error, ["error_description"] = description }, statusCode: status);
}

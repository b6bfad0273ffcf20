using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Consentry.Sandbox.OAuth;
using Microsoft.AspNetCore.Http;

namespace Consentry.Sandbox.Simulators.Xero;

/// <summary>
/// identity.xero.com's token and revocation endpoints and api.xero.com's Identity API (<c>/connections</c>). Refresh
/// tokens rotate on every use; the used one keeps working for <see cref="XeroSimulatorOptions.RefreshTokenGracePeriod"/>
/// and then answers <c>invalid_grant</c>, as a revoked or expired one does at once.
/// </summary>
internal static class XeroTokenEndpoints
{
    public static async Task<IResult> TokenAsync(HttpContext context, XeroSimulator sim)
    {
        context.Response.Headers.CacheControl = "no-store";
        if (!context.Request.HasFormContentType)
        {
            return OAuthError("invalid_request", "Send application/x-www-form-urlencoded.");
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        if (!Authenticated(context, sim, form))
        {
            return OAuthError("invalid_client", null, StatusCodes.Status401Unauthorized);
        }

        var now = sim.Now;
        switch ((string?)form["grant_type"])
        {
            case "authorization_code":
                if (!sim.State.Codes.TryRemove((string?)form["code"] ?? "", out var code) || code.ExpiresAt <= now
                    || code.RedirectUri != (string?)form["redirect_uri"])
                {
                    return OAuthError("invalid_grant", null);
                }

                if (code.CodeChallenge is { } challenge && !Pkce.Verify((string?)form["code_verifier"] ?? "", challenge))
                {
                    return OAuthError("invalid_grant", "The code_verifier does not match the code_challenge.");
                }

                if (XeroUsers.BehaviourOf(code.Grant.Username) == XeroUserBehaviour.FailsTokenExchange)
                {
                    return OAuthError("server_error", "The identity service failed (simulated for user_error).", StatusCodes.Status500InternalServerError);
                }

                return Issue(sim, code.Grant, now);

            case "refresh_token":
                if (!sim.State.RefreshTokens.TryGetValue((string?)form["refresh_token"] ?? "", out var refresh))
                {
                    return OAuthError("invalid_grant", null);
                }

                lock (refresh)
                {
                    if (refresh.Grant.Revoked || refresh.ExpiresAt <= now || (refresh.UsedAt is { } used && now - used > sim.Options.RefreshTokenGracePeriod))
                    {
                        return OAuthError("invalid_grant", null);
                    }

                    refresh.UsedAt ??= now;
                }

                return Issue(sim, refresh.Grant, now);

            default:
                return OAuthError("unsupported_grant_type", null);
        }
    }

    /// <summary>Revoking a refresh token ends the whole grant: its tokens stop working and its connections are removed, as at Xero.</summary>
    public static async Task<IResult> RevokeAsync(HttpContext context, XeroSimulator sim)
    {
        var form = context.Request.HasFormContentType ? await context.Request.ReadFormAsync(context.RequestAborted) : null;
        if (form is null || !Authenticated(context, sim, form))
        {
            return OAuthError("invalid_client", null, StatusCodes.Status401Unauthorized);
        }

        if (string.IsNullOrEmpty(form["token"]))
        {
            return OAuthError("invalid_request", "token is required.");
        }

        if (sim.State.RefreshTokens.TryGetValue((string)form["token"]!, out var refresh))
        {
            refresh.Grant.Revoked = true;
            var connections = sim.State.ConnectionsOf(refresh.Grant.Username);
            lock (connections)
            {
                connections.RemoveAll(c => c.AuthEventId == refresh.Grant.AuthEventId);
            }
        }

        return Results.Ok();
    }

    public static IResult Connections(HttpContext context, XeroSimulator sim)
    {
        if (Bearer(context, sim) is not { } grant)
        {
            return XeroAccountingApi.Unauthorized(context);
        }

        var connections = sim.State.ConnectionsOf(grant.Username);
        JsonArray answer;
        lock (connections)
        {
            answer = [.. connections.Select(c => (JsonNode)new JsonObject
            {
                ["id"] = c.Id, ["authEventId"] = c.AuthEventId, ["tenantId"] = c.TenantId, ["tenantType"] = "ORGANISATION",
                ["tenantName"] = c.TenantName, ["createdDateUtc"] = c.Created.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", System.Globalization.CultureInfo.InvariantCulture),
                ["updatedDateUtc"] = c.Created.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", System.Globalization.CultureInfo.InvariantCulture),
            })];
        }

        return Results.Text(answer.ToJsonString(), "application/json; charset=utf-8");
    }

    public static IResult DeleteConnection(HttpContext context, XeroSimulator sim, string id)
    {
        if (Bearer(context, sim) is not { } grant)
        {
            return XeroAccountingApi.Unauthorized(context);
        }

        var connections = sim.State.ConnectionsOf(grant.Username);
        lock (connections)
        {
            return connections.RemoveAll(c => c.Id == id) > 0 ? Results.NoContent() : Results.NotFound();
        }
    }

    /// <summary>The grant of a valid access token in the Authorization header; null when missing, unknown, expired or revoked.</summary>
    public static XeroGrant? Bearer(HttpContext context, XeroSimulator sim)
    {
        var header = context.Request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.Ordinal)
            && sim.State.AccessTokens.TryGetValue(header["Bearer ".Length..].Trim(), out var token)
            && token.ExpiresAt > sim.Now && !token.Grant.Revoked
                ? token.Grant
                : null;
    }

    private static IResult Issue(XeroSimulator sim, XeroGrant grant, DateTime now)
    {
        var access = Secrets.NewToken("xat_");
        var refresh = Secrets.NewToken("xrt_");
        sim.State.AccessTokens[access] = new XeroAccessToken(grant, now + sim.Options.AccessTokenLifetime);
        var offline = grant.Scopes.Contains("offline_access");
        if (offline)
        {
            sim.State.RefreshTokens[refresh] = new XeroRefreshToken(grant, now + sim.Options.RefreshTokenLifetime);
        }

        var body = new JsonObject
        {
            ["access_token"] = access,
            ["expires_in"] = (long)sim.Options.AccessTokenLifetime.TotalSeconds,
            ["token_type"] = "Bearer",
            ["scope"] = string.Join(' ', grant.Scopes),
        };
        if (offline)
        {
            body["refresh_token"] = refresh;
        }

        return Results.Text(body.ToJsonString(), "application/json; charset=utf-8");
    }

    /// <summary>client_secret_basic (what Xero documents) or the id and secret in the form.</summary>
    private static bool Authenticated(HttpContext context, XeroSimulator sim, IFormCollection form)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..].Trim()));
                var colon = decoded.IndexOf(':', StringComparison.Ordinal);
                return colon > 0 && sim.IsClient(WebUtility.UrlDecode(decoded[..colon]), WebUtility.UrlDecode(decoded[(colon + 1)..]));
            }
            catch (FormatException)
            {
                return false;
            }
        }

        return sim.IsClient(form["client_id"], form["client_secret"]);
    }

    private static IResult OAuthError(string error, string? description, int status = StatusCodes.Status400BadRequest)
    {
        var body = new JsonObject { ["error"] = error };
        if (description is not null)
        {
            body["error_description"] = description;
        }

        return Results.Text(body.ToJsonString(), "application/json; charset=utf-8", statusCode: status);
    }
}

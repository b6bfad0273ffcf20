using System.Text.Json;
using System.Text.Json.Nodes;
using Consentry.Sandbox.OAuth;
using Microsoft.AspNetCore.Http;

namespace Consentry.Sandbox.Simulators.TrueLayer;

/// <summary>
/// auth.truelayer.com's token endpoint (client_secret_post: <c>client_id</c> and <c>client_secret</c> in the form),
/// re-authentication (<c>POST /v1/reauthuri</c>) and connection deletion (<c>DELETE /api/delete</c> with the access
/// token). Refresh tokens rotate: each works once, and a used, revoked or expired-consent one answers
/// <c>invalid_grant</c>, which TrueLayer says "most often occurs when a user's 90 days of consent … has expired".
/// </summary>
internal static class TrueLayerTokens
{
    public static async Task<IResult> TokenAsync(HttpContext context, TrueLayerSimulator sim)
    {
        context.Response.Headers.CacheControl = "no-store";
        if (!context.Request.HasFormContentType)
        {
            return Error("invalid_request", "Send application/x-www-form-urlencoded.");
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        if (!sim.IsClient(form["client_id"], form["client_secret"]))
        {
            return Error("invalid_client", "The client_id or client_secret are invalid.");
        }

        var now = sim.Now;
        switch ((string?)form["grant_type"])
        {
            case "authorization_code":
                if (!sim.State.Codes.TryRemove((string?)form["code"] ?? "", out var code) || code.ExpiresAt <= now || code.RedirectUri != (string?)form["redirect_uri"])
                {
                    return Error("invalid_grant", "The authorization code is invalid, expired or was already used.");
                }

                if (TrueLayerUsers.BehaviourOf(code.Grant.Username) == TrueLayerUserBehaviour.FailsTokenExchange)
                {
                    return Error("internal_server_error", "The provider failed (simulated for user_error).", StatusCodes.Status500InternalServerError);
                }

                return Issue(sim, code.Grant, now);

            case "refresh_token":
                if (!sim.State.RefreshTokens.TryGetValue((string?)form["refresh_token"] ?? "", out var refresh))
                {
                    return Error("invalid_grant", "The refresh token is invalid.");
                }

                var user = sim.State.User(refresh.Grant.Username);
                lock (refresh)
                {
                    if (refresh.Used)
                    {
                        lock (user.Gate)
                        {
                            user.ReusedRefreshTokens++;
                        }

                        return Error("invalid_grant", "The refresh token was already used.");
                    }

                    if (refresh.Revoked || refresh.Grant.Revoked || refresh.Grant.ConsentExpired(now))
                    {
                        return Error("invalid_grant", refresh.Grant.ConsentExpired(now) ? "The consent has expired: the user must re-authenticate." : "The refresh token was revoked.");
                    }

                    refresh.Used = true;
                }

                lock (user.Gate)
                {
                    user.Refreshes++;
                }

                return Issue(sim, refresh.Grant, now);

            default:
                return Error("unsupported_grant_type", "grant_type must be authorization_code or refresh_token.");
        }
    }

    /// <summary>
    /// <c>POST /v1/reauthuri</c> <c>{"response_type":"code","refresh_token":"…","redirect_uri":"…"}</c> →
    /// <c>{"result":"&lt;auth link&gt;","status":"Succeeded"}</c>: a link that takes the customer straight to the same bank,
    /// whose code renews the consent of the same connection.
    /// </summary>
    public static async Task<IResult> ReauthUriAsync(HttpContext context, TrueLayerSimulator sim)
    {
        JsonNode? body;
        try
        {
            body = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
        }
        catch (JsonException)
        {
            return Error("invalid_request", "The body is not JSON.");
        }

        string? Read(string name) => body?[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
        var redirectUri = Read("redirect_uri");
        if (Read("response_type") != "code" || redirectUri is null || !sim.RedirectUris.Contains(redirectUri))
        {
            return Error("invalid_request", "response_type must be code and redirect_uri a registered one.");
        }

        if (!sim.State.RefreshTokens.TryGetValue(Read("refresh_token") ?? "", out var refresh) || refresh.Used || refresh.Revoked || refresh.Grant.Revoked)
        {
            return Error("invalid_grant", "The refresh token is invalid.");
        }

        var grant = refresh.Grant;
        var handle = Secrets.NewToken();
        sim.State.Requests[handle] = new TrueLayerAuthRequest(sim.ClientId, redirectUri, null, grant.Scopes, [grant.Provider], sim.Now.AddMinutes(30),
            Provider: grant.Provider, Reauthenticating: grant);
        var url = $"{context.Request.Scheme}://{context.Request.Host}{context.Request.PathBase}{context.Request.Path.Value![..context.Request.Path.Value!.LastIndexOf("/v1/", StringComparison.Ordinal)]}/reauth/{handle}";
        return Json(new JsonObject { ["result"] = url, ["status"] = "Succeeded" });
    }

    /// <summary><c>DELETE /api/delete</c> with the access token: the connection (credentials) and all its tokens end.</summary>
    public static IResult Delete(HttpContext context, TrueLayerSimulator sim)
    {
        if (Bearer(context, sim) is not { } grant)
        {
            return DataError(StatusCodes.Status401Unauthorized, "invalid_token", "The access token is invalid or has expired.");
        }

        grant.Revoked = true;
        var user = sim.State.User(grant.Username);
        lock (user.Gate)
        {
            user.Deletes++;
        }

        return Results.Ok();
    }

    /// <summary>The grant of a valid, unexpired access token in the Authorization header (revoked or expired consents included).</summary>
    public static TrueLayerGrant? Bearer(HttpContext context, TrueLayerSimulator sim)
    {
        var header = context.Request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.Ordinal)
            && sim.State.AccessTokens.TryGetValue(header["Bearer ".Length..].Trim(), out var token) && token.ExpiresAt > sim.Now
                ? token.Grant
                : null;
    }

    private static IResult Issue(TrueLayerSimulator sim, TrueLayerGrant grant, DateTime now)
    {
        var access = Secrets.NewToken("tlat_");
        sim.State.AccessTokens[access] = new TrueLayerAccessToken(grant, now + sim.Options.AccessTokenLifetime);
        var body = new JsonObject
        {
            ["access_token"] = access,
            ["expires_in"] = (long)sim.Options.AccessTokenLifetime.TotalSeconds,
            ["token_type"] = "Bearer",
        };
        if (grant.Scopes.Contains("offline_access"))
        {
            var refresh = Secrets.NewToken("tlrt_");
            sim.State.RefreshTokens[refresh] = new TrueLayerRefreshToken(grant);
            body["refresh_token"] = refresh;
        }

        body["scope"] = string.Join(' ', grant.Scopes);
        return Json(body);
    }

    /// <summary>The auth server's OAuth errors: <c>{"error": "…", "error_description": "…"}</c>, 400 unless said.</summary>
    private static IResult Error(string error, string description, int status = StatusCodes.Status400BadRequest) =>
        Json(new JsonObject { ["error"] = error, ["error_description"] = description }, status);

    /// <summary>The Data API's error body: <c>{"error": "…", "error_description": "…", "error_details": {}}</c>.</summary>
    public static IResult DataError(int status, string error, string description) =>
        Json(new JsonObject { ["error"] = error, ["error_description"] = description, ["error_details"] = new JsonObject() }, status);

    public static IResult Json(JsonNode body, int status = StatusCodes.Status200OK) =>
        Results.Text(body.ToJsonString(), "application/json; charset=utf-8", statusCode: status);
}

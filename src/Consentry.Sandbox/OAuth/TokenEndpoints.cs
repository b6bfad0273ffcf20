using Consentry.Sandbox.Platforms;
using Consentry.Sandbox.Store;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using static Consentry.Sandbox.OAuth.OAuthResponses;

namespace Consentry.Sandbox.OAuth;

/// <summary><c>POST oauth/token</c> (authorization_code with PKCE, refresh_token with rotation) and <c>POST oauth/revoke</c>.</summary>
internal static class TokenEndpoints
{
    public static async Task<IResult> Token(
        HttpContext context, SandboxPlatform platform, SandboxSite site, SandboxClients clients, ISandboxStore store,
        TimeProvider time, ILoggerFactory loggers)
    {
        var (form, error) = await ClientAuthentication.ReadFormAsync(context);
        if (form is null)
        {
            return error!;
        }

        var (client, authError) = ClientAuthentication.Authenticate(context, form, clients, platform);
        if (client is null)
        {
            return authError!;
        }

        var log = loggers.CreateLogger(typeof(TokenEndpoints));
        var issuer = new TokenIssuer(platform, site.Options, store, time.GetUtcNow());
        return (string?)form["grant_type"] switch
        {
            "authorization_code" => ExchangeCode(form, platform, client, issuer, store, log),
            "refresh_token" => Refresh(form, platform, client, issuer, store, log),
            null or "" => Error(InvalidRequest, "grant_type is required."),
            _ => Error(UnsupportedGrantType, "Supported grant types: authorization_code, refresh_token."),
        };
    }

    private static IResult ExchangeCode(
        IFormCollection form, SandboxPlatform platform, RegisteredClient client, TokenIssuer issuer, ISandboxStore store, ILogger log)
    {
        string? code = form["code"];
        if (string.IsNullOrEmpty(code))
        {
            return Error(InvalidRequest, "code is required.");
        }

        // Presenting a code uses it up, whatever happens next: a code is good for one attempt only.
        if (store.RedeemCode(Secrets.Hash(code), Secrets.NewId()) is not { } redemption || redemption.Code.Platform != platform.Key)
        {
            return Error(InvalidGrant, "The authorization code is invalid.");
        }

        if (redemption.Replayed)
        {
            // RFC 6749 §4.1.2: a code used twice may be stolen, so whatever it produced is revoked.
            store.RevokeGrant(redemption.GrantId);
            log.LogWarning("{Platform}: an authorization code was used twice; grant {GrantId} revoked", platform.Key, redemption.GrantId);
            return Error(InvalidGrant, "The authorization code was already used; the tokens issued for it are revoked.");
        }

        var granted = redemption.Code;
        if (granted.ExpiresAt <= issuer.Now)
        {
            return Error(InvalidGrant, "The authorization code expired.");
        }

        if (granted.ClientId != client.ClientId)
        {
            return Error(InvalidGrant, "The authorization code was issued to another client.");
        }

        if ((string?)form["redirect_uri"] != granted.RedirectUri)
        {
            return Error(InvalidGrant, "redirect_uri does not match the authorization request.");
        }

        if (!Pkce.Verify((string?)form["code_verifier"] ?? "", granted.CodeChallenge))
        {
            return Error(InvalidGrant, "code_verifier does not match the code_challenge (PKCE S256).");
        }

        if (TestUsers.BehaviourOf(granted.Username) == UserBehaviour.FailsTokenExchange)
        {
            return Error(ServerError, $"{platform.Name} failed to issue tokens (test user {granted.Username}).", StatusCodes.Status500InternalServerError);
        }

        var grant = new Grant(
            redemption.GrantId, platform.Key, client.ClientId, granted.Username, granted.Scopes, issuer.Now,
            platform.ConsentExpires ? granted.ConsentedAt + issuer.Options.BankingConsentLifetime : null);
        store.SaveGrant(grant);
        log.LogInformation("{Platform}: issued tokens for grant {GrantId} to client {ClientId}", platform.Key, grant.Id, client.ClientId);
        return Json(issuer.Issue(grant, granted.Scopes, granted.Scopes));
    }

    private static IResult Refresh(
        IFormCollection form, SandboxPlatform platform, RegisteredClient client, TokenIssuer issuer, ISandboxStore store, ILogger log)
    {
        string? refreshToken = form["refresh_token"];
        if (string.IsNullOrEmpty(refreshToken))
        {
            return Error(InvalidRequest, "refresh_token is required.");
        }

        var hash = Secrets.Hash(refreshToken);
        if (store.FindToken(hash) is not { Kind: TokenKind.Refresh, Revoked: false } token
            || store.FindActiveGrant(token.GrantId) is not { } grant
            || grant.Platform != platform.Key
            || token.ClientId != client.ClientId)
        {
            return Error(InvalidGrant, "The refresh token is invalid or was revoked.");
        }

        if (grant.ConsentExpiresAt is { } consentEnd && consentEnd <= issuer.Now)
        {
            return Error(InvalidGrant, $"The consent expired at {Iso(consentEnd)}; the user must authorize again.");
        }

        var scopes = token.Scopes;
        if (form["scope"] is { Count: 1 } scopeParameter)
        {
            scopes = [.. scopeParameter[0]!.Split(' ', StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal)];
            if (scopes.Count == 0 || scopes.Except(token.Scopes, StringComparer.Ordinal).Any())
            {
                return Error(InvalidScope, "scope may only narrow the scopes originally granted.");
            }
        }

        // Rotation: this refresh token works once. Seeing it again means two parties hold it (a leak, or a client that
        // refreshes concurrently), so the whole grant is revoked, as the OAuth 2.0 Security BCP advises.
        if (!store.TryUseRefreshToken(hash))
        {
            store.RevokeGrant(grant.Id);
            log.LogWarning("{Platform}: a rotated refresh token was reused; grant {GrantId} revoked", platform.Key, grant.Id);
            return Error(InvalidGrant, "The refresh token was already used; the grant is revoked.");
        }

        var issued = issuer.Issue(grant, scopes, token.Scopes);
        store.CountTokenRefresh(platform.Key, grant.Username);
        return Json(issued);
    }

    public static async Task<IResult> Revoke(
        HttpContext context, SandboxPlatform platform, SandboxClients clients, ISandboxStore store, ILoggerFactory loggers)
    {
        var (form, error) = await ClientAuthentication.ReadFormAsync(context);
        if (form is null)
        {
            return error!;
        }

        var (client, authError) = ClientAuthentication.Authenticate(context, form, clients, platform);
        if (client is null)
        {
            return authError!;
        }

        string? value = form["token"];
        if (string.IsNullOrEmpty(value))
        {
            return Error(InvalidRequest, "token is required.");
        }

        // RFC 7009 §2.2: unknown, expired or foreign tokens get 200 too, so the answer reveals nothing. The hint is
        // optional and only saves a lookup elsewhere; here one lookup finds either kind.
        var hash = Secrets.Hash(value);
        if (store.FindToken(hash) is { } token && token.ClientId == client.ClientId
            && store.FindActiveGrant(token.GrantId) is { } grant && grant.Platform == platform.Key)
        {
            if (token.Kind == TokenKind.Refresh)
            {
                store.RevokeGrant(grant.Id);
                loggers.CreateLogger(typeof(TokenEndpoints)).LogInformation(
                    "{Platform}: client {ClientId} revoked grant {GrantId}", platform.Key, client.ClientId, grant.Id);
            }
            else
            {
                store.RevokeToken(hash);
            }
        }

        return Results.Ok();
    }
}

/// <summary>Mints an access and a refresh token for a grant and stores their hashes.</summary>
internal sealed class TokenIssuer(SandboxPlatform platform, SandboxOptions options, ISandboxStore store, DateTimeOffset now)
{
    public DateTimeOffset Now { get; } = now;

    public SandboxOptions Options { get; } = options;

    public TokenResponse Issue(Grant grant, IReadOnlyList<string> accessScopes, IReadOnlyList<string> refreshScopes)
    {
        var access = Secrets.NewToken($"{platform.Key}_at_");
        var refresh = Secrets.NewToken($"{platform.Key}_rt_");
        store.SaveToken(Secrets.Hash(access), new IssuedToken(
            TokenKind.Access, grant.Id, grant.ClientId, accessScopes, Now + Options.AccessTokenLifetime));
        store.SaveToken(Secrets.Hash(refresh), new IssuedToken(TokenKind.Refresh, grant.Id, grant.ClientId, refreshScopes, ExpiresAt: null));
        return new TokenResponse(
            access,
            "Bearer",
            (long)Options.AccessTokenLifetime.TotalSeconds,
            refresh,
            string.Join(' ', accessScopes),
            grant.ConsentExpiresAt is { } consentEnd ? OAuthResponses.Iso(consentEnd) : null);
    }
}

using System.Security.Cryptography;
using System.Text;
using Consentry.Connectors.OAuth2;
using Consentry.Core.Connections;
using Consentry.Core.Integrations;
using Consentry.Core.Link;
using Consentry.Core.Persistence;
using Consentry.Core.Security;
using Consentry.Core.Tenancy;
using Consentry.Domain;
using Consentry.Infrastructure.Http;
using Consentry.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Consentry.Features.Link;

/// <summary>How an authorization ended, and where the customer goes next.</summary>
public sealed record AuthorizationOutcome(int StatusCode, string StatusText, Guid? ConnectionId, Guid? CompanyId, LinkJourneyKind Journey,
    Dictionary<string, string> ReturnParameters, string? PageError = null)
{
    /// <summary>The grant covers several platform accounts: the customer chooses one on the accounts page of this flow first.</summary>
    public Guid? ChooseAccountFlowId { get; init; }

    /// <summary>The connection as the hand-off left it (already loaded: the result page need not read it again).</summary>
    public Connection? Connection { get; init; }

    /// <summary>A connection linked without an OAuth flow (with credentials, <see cref="CredentialLinks"/>): where the customer goes next.</summary>
    public static AuthorizationOutcome Linked(Connection connection, LinkJourneyKind journey, Dictionary<string, string> returnParameters) =>
        new(200, "", connection.Id, connection.CompanyId, journey, returnParameters) { Connection = connection };

    /// <summary>The company (with its tags) when the link read it; the result page then need not read it again.</summary>
    public Core.Companies.Company? Company { get; init; }
}

/// <summary>
/// The OAuth 2.0 hand-off of the Link journey: start an authorization bound to this browser (PKCE, a hashed state),
/// and finish it when the platform sends the customer back (the token exchange, the account choice, the link or the
/// failure, each saved in one commit with its journey event). The pages around it are the journey's
/// (<see cref="LinkJourney"/>).
/// </summary>
public sealed class OAuthHandOff(
    ConsentryDbContext db,
    ClientContext tenant,
    Core.Integrations.IntegrationCatalogue catalogue,
    PlatformClients platforms,
    OAuthConnector connector,
    Connectors.PlatformConnectors connectors,
    SecretProtector secrets,
    ConnectionLifecycle lifecycle,
    GrantStore grants,
    ConsentTextWriter consentTexts,
    TimeProvider time,
    ILogger<OAuthHandOff> logger)
{
    /// <summary>The browser-binding cookie: <c>__Host-</c> (Secure, path /, no domain), HttpOnly, SameSite=Lax.</summary>
    public const string BrowserCookie = "__Host-consentry-link";

    /// <summary>
    /// Starts OAuth for a connection to <paramref name="integration"/> (the caller's one look-up of the connection's platform
    /// key): a fresh PKCE verifier and a 256-bit state, recorded (hashed) on the server with this browser's binding; answers
    /// the platform's authorization URL, or null when the platform cannot be authorized here. <paramref name="consentText"/>,
    /// the text <paramref name="consent"/> agreed to when the page has not stored it yet, is stored in the flow's transaction.
    /// </summary>
    public async Task<string?> StartAsync(LinkContext context, Connection connection, IntegrationDefinition integration, LinkJourneyKind journey,
        Dictionary<string, string> returnParameters, HttpContext http, Core.Consents.ConsentCapture? consent, CancellationToken ct,
        IReadOnlyDictionary<string, string>? account = null, RenderedConsent? consentText = null)
    {
        if (integration.PlatformKey != connection.PlatformKey || await platforms.ResolveAsync(integration, ct) is not { } resolved)
        {
            return null;
        }

        var platformConnector = connectors.For(integration.PlatformKey);

        var platform = resolved.ForAccount(account ?? new Dictionary<string, string>());

        var browser = http.Request.Cookies[BrowserCookie] is { Length: >= 40 } existing ? existing : OAuthConnector.NewSecret();
        http.Response.Cookies.Append(BrowserCookie, browser, new CookieOptions
        {
            Secure = true, HttpOnly = true, SameSite = SameSiteMode.Lax, Path = "/", MaxAge = TimeSpan.FromHours(1), IsEssential = true,
        });

        var state = OAuthConnector.NewSecret();
        var verifier = OAuthConnector.NewSecret();
        var redirectUri = platforms.CallbackUrl(integration.PlatformKey);
        var now = time.GetUtcNow().UtcDateTime;
        string? handOffUrl = null, keptHandOff = null;
        if (platformConnector.HandOff is { } handOff)
        {
            // Not an OAuth redirect (Plaid's Hosted Link): the platform's session comes back to our callback with the state.
            var stored = await db.ConnectionTokens.AsNoTracking().FirstOrDefaultAsync(t => t.ConnectionId == connection.Id, ct);
            var grant = stored is null ? null : new Connectors.PlatformGrant(secrets.Unprotect(stored.ProtectedAccessToken),
                stored.ProtectedRefreshToken is { } r ? secrets.Unprotect(r) : null, stored.Account);
            var completion = Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString(redirectUri, "state", state);
            var started = await handOff.StartAsync(platform, new Connectors.HandOffContext(completion, connection.Id.ToString(), context.Client.Name, grant), ct);
            if (started is not Connectors.HandOffStart.Started { } go)
            {
                logger.LogWarning("{Platform} did not open a session for connection {ConnectionId}: {Reason}", integration.PlatformKey, connection.Id,
                    (started as Connectors.HandOffStart.Failed)?.Reason);
                return null;
            }

            (handOffUrl, keptHandOff) = (go.Url, secrets.Protect(go.Kept));
        }

        // The consent's text, the flow and its journey event (with its rollups) commit together: one transaction (on
        // SQLite one turn of the writer) for the page step.
        await using var transaction = consentText is null ? null : await db.Database.BeginTransactionAsync(ct);
        if (consentText is not null)
        {
            await consentTexts.StoreAsync(context.Client.Id, consentText, ct);
        }

        db.OAuthFlows.Add(new OAuthFlow
        {
            Id = Guid.CreateVersion7(),
            CompanyId = context.Company.Id,
            ConnectionId = connection.Id,
            PlatformKey = integration.PlatformKey,
            StateHash = Hash(state),
            BrowserHash = Hash(browser),
            ProtectedCodeVerifier = secrets.Protect(verifier),
            RedirectUri = redirectUri,
            Journey = journey,
            ReturnParameters = returnParameters,
            Account = account is null ? [] : new Dictionary<string, string>(account),
            Consent = consent,
            ProtectedHandOff = keptHandOff,
            Created = now,
            ExpiresAt = now + OAuthFlow.Lifetime,
        });
        db.JourneyEvents.Add(new JourneyEvent
        {
            Id = Guid.CreateVersion7(), CompanyId = context.Company.Id, ConnectionId = connection.Id, Step = JourneyStep.OAuthStarted,
            SourceType = connection.SourceType, PlatformKey = connection.PlatformKey, At = now,
        });
        if (transaction is null)
        {
            await db.SaveChangesAsync(ct);
        }
        else
        {
            // The transaction is this save's alone (a failure rolls all of it back): no savepoint for the save.
            db.Database.AutoSavepointsEnabled = false;
            try
            {
                await db.SaveChangesAsync(ct);
                await transaction.CommitAsync(ct);
            }
            finally
            {
                db.Database.AutoSavepointsEnabled = true;
            }
        }

        return handOffUrl ?? OAuthConnector.AuthorizeUrl(platform, redirectUri, state, verifier, platformConnector.AuthorizeParameters(platform));
    }

    /// <summary>
    /// Finishes an authorization from the platform's callback. Refuses (without touching the connection) a state that is
    /// unknown, expired, already used, from another browser or for another platform, or a wrong issuer; the code is
    /// exchanged at most once even when callbacks race (the flow is consumed by one atomic update first).
    /// </summary>
    public async Task<AuthorizationOutcome> CompleteAsync(string platformKey, IQueryCollection query, HttpContext http, CancellationToken ct)
    {
        // The span of the callback: the token exchange, and the reads and webhooks it queues, continue its trace.
        using var activity = Infrastructure.Observability.ConsentryTracing.Source.StartActivity("consentry.link.callback");
        activity?.SetTag("consentry.platform", platformKey);
        var state = query["state"].ToString();
        if (state.Length is 0 or > 200)
        {
            return Refused("The sign-in response has no valid state. Start again from your app.");
        }

        var stateHash = Hash(state);
        var flow = await FlowByState.For(db)(db, stateHash, ct);
        if (flow is null)
        {
            return Refused("This sign-in response is not one we started. Start again from your app.");
        }

        tenant.Set(flow.ClientId);
        activity?.SetTag("consentry.company_id", flow.CompanyId.ToString());
        activity?.SetTag("consentry.connection_id", flow.ConnectionId.ToString());
        var cookie = http.Request.Cookies[BrowserCookie];
        var now = time.GetUtcNow().UtcDateTime;
        string? refusal = cookie is null ? "This sign-in was started in another browser (or cookies are blocked). Start again here."
            : !CryptographicOperations.FixedTimeEquals(Hash(cookie), flow.BrowserHash) ? "This sign-in was started in another browser. Start again here."
            : flow.PlatformKey != platformKey ? "This sign-in response came back from the wrong platform."
            : flow.ExpiresAt < now ? "This sign-in took too long and expired. Start again."
            : null;
        if (refusal is not null)
        {
            return Refused(refusal);
        }

        // Single use: whoever flips ConsumedAt first continues; a replay or a racing callback stops here.
        var consumed = await db.OAuthFlows.Where(f => f.Id == flow.Id && f.ConsumedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(f => f.ConsumedAt, now), ct);
        if (consumed == 0)
        {
            return Refused("This sign-in response was already used. Start again from your app.");
        }

        // The callback's one look-up of the platform key: its catalogue entry, endpoints and connector.
        var connection = await ConnectionById.For(db)(db, flow.ConnectionId, ct);
        var integration = catalogue.Find(flow.PlatformKey);
        var platform = integration is null ? null : (await platforms.ResolveAsync(integration, ct))?.ForAccount(flow.Account);
        if (connection is null || platform is null)
        {
            return Refused("This connection no longer exists.");
        }

        var platformConnector = connectors.For(flow.PlatformKey);

        if (query["iss"].ToString() is { Length: > 0 } iss && platform.Issuer is { } issuer && iss != issuer)
        {
            return await FailAsync(flow, connection, 500, "issuer_mismatch", "The platform's response came from an unexpected issuer.", ct);
        }

        var callback = query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal);
        TokenResult result;
        if (platformConnector.HandOff is { } handOff && flow.ProtectedHandOff is { } kept)
        {
            // The platform's own session (Plaid's Hosted Link) says how it ended; there is no code in the callback.
            result = await handOff.FinishAsync(platform, secrets.Unprotect(kept), callback, ct);
            if (result.Error == "access_denied")
            {
                return await FailAsync(flow, connection, 403, "cancelled", result.ErrorDescription ?? "The customer left before finishing.", ct);
            }
        }
        else
        {
            if (query["error"].ToString() is { Length: > 0 } error)
            {
                var cancelled = error == "access_denied";
                return await FailAsync(flow, connection, cancelled ? 403 : 500, cancelled ? "cancelled" : error,
                    query["error_description"].ToString() is { Length: > 0 } d ? d : error, ct);
            }

            // The platform's own checks of its callback (Shopify's hmac and shop) come before anything is exchanged.
            if (platformConnector.RejectCallback(platform, callback) is { } rejected)
            {
                logger.LogWarning("{Platform} callback for connection {ConnectionId} refused: {Reason}", flow.PlatformKey, connection.Id, rejected);
                return await FailAsync(flow, connection, 500, "callback_rejected", rejected, ct);
            }

            if (query["code"].ToString() is not { Length: > 0 } code)
            {
                return await FailAsync(flow, connection, 500, "no_code", "The platform sent no authorization code.", ct);
            }

            result = await connector.ExchangeCodeAsync(platform, code, flow.RedirectUri, secrets.Unprotect(flow.ProtectedCodeVerifier), ct);
        }

        if (!result.Succeeded)
        {
            logger.LogWarning("Token exchange with {Platform} failed: {Status} {Error}", platform.Integration.PlatformKey, result.StatusCode, result.Error);
            return await FailAsync(flow, connection, 500, "token_exchange_failed",
                $"The platform refused the token exchange ({result.StatusCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "no answer"}: {result.Error}).", ct);
        }

        // Which accounts at the platform the grant covers (Xero's organisations, QuickBooks' realmId): one links now,
        // several are offered to the customer first.
        var discovery = await platformConnector.DiscoverAccountsAsync(platform, result.Tokens!, callback, ct);
        switch (discovery)
        {
            case Connectors.AccountDiscovery.Found { Accounts.Count: 1 } one:
                return await LinkAsync(flow, connection, result.Tokens! with { ConsentExpiresAt = one.ConsentExpiresAt ?? result.Tokens!.ConsentExpiresAt }, one.Accounts[0].Parameters, ct);
            case Connectors.AccountDiscovery.Found { Accounts.Count: > 1 } several:
                return await OfferAccountsAsync(flow, connection, result.Tokens!, several.Accounts, now, ct);
            default:
                var reason = discovery is Connectors.AccountDiscovery.Failed failed ? failed.Reason : "The platform gave access to no account.";
                logger.LogWarning("{Platform} gave connection {ConnectionId} no usable account: {Reason}", flow.PlatformKey, connection.Id, reason);
                return await FailAsync(flow, connection, 500, "no_account", reason, ct);
        }
    }

    /// <summary>
    /// Keeps the tokens (encrypted, with the connection, which stays unlinked) and the accounts on offer on the flow,
    /// for the accounts page; the flow gets a fresh lifetime for the customer to choose.
    /// </summary>
    private async Task<AuthorizationOutcome> OfferAccountsAsync(
        OAuthFlow flow, Connection connection, TokenSet tokens, IReadOnlyList<Connectors.PlatformAccount> accounts, DateTime now, CancellationToken ct)
    {
        await grants.StoreAsync(connection, tokens, flow.Account, now, ct);
        var offered = accounts.Select(a => new PendingPlatformAccount(a.Id, a.Name, new Dictionary<string, string>(a.Parameters))).ToList();
        var tracked = await db.OAuthFlows.FirstAsync(f => f.Id == flow.Id, ct);
        tracked.ExpiresAt = now + OAuthFlow.Lifetime;
        tracked.PendingAccounts = offered;
        await db.SaveChangesAsync(ct);
        return new AuthorizationOutcome(0, "", connection.Id, flow.CompanyId, flow.Journey, flow.ReturnParameters) { ChooseAccountFlowId = flow.Id };
    }

    /// <summary>The flow offering accounts, when it is this browser's, still open, and waiting for a choice; else null.</summary>
    public async Task<OAuthFlow?> PendingChoiceAsync(Guid flowId, HttpContext http, CancellationToken ct)
    {
        var flow = await db.OAuthFlows.IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(f => f.Id == flowId, ct);
        var cookie = http.Request.Cookies[BrowserCookie];
        return flow is not { PendingAccounts.Count: > 0 } || cookie is null || !CryptographicOperations.FixedTimeEquals(Hash(cookie), flow.BrowserHash)
               || flow.ExpiresAt < time.GetUtcNow().UtcDateTime
            ? null
            : flow;
    }

    /// <summary>
    /// Links the connection to the account the customer chose (or, with <paramref name="accountId"/> null, records that
    /// they cancelled) and gives the others back to the platform. Single use, like the callback.
    /// </summary>
    public async Task<AuthorizationOutcome> ChooseAccountAsync(OAuthFlow flow, string? accountId, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var chosen = accountId is null ? null : flow.PendingAccounts!.FirstOrDefault(a => a.Id == accountId);
        if (accountId is not null && chosen is null)
        {
            return Refused("Choose one of the organisations listed.");
        }

        if (await db.OAuthFlows.Where(f => f.Id == flow.Id && f.ExpiresAt >= now).ExecuteUpdateAsync(s => s.SetProperty(f => f.ExpiresAt, DateTime.UnixEpoch), ct) == 0)
        {
            return Refused("This choice was already made, or took too long. Start again from your app.");
        }

        var connection = await db.Connections.FirstOrDefaultAsync(c => c.Id == flow.ConnectionId, ct);
        var integration = catalogue.Find(flow.PlatformKey);
        var platform = integration is null ? null : (await platforms.ResolveAsync(integration, ct))?.ForAccount(flow.Account);
        var token = await db.ConnectionTokens.AsNoTracking().FirstOrDefaultAsync(t => t.ConnectionId == flow.ConnectionId, ct);
        if (connection is null || platform is null || token is null)
        {
            return Refused("This connection no longer exists.");
        }

        var accessToken = secrets.Unprotect(token.ProtectedAccessToken);
        var released = flow.PendingAccounts!.Where(a => a.Id != chosen?.Id)
            .Select(a => new Connectors.PlatformAccount(a.Id, a.Name, a.Parameters)).ToList();
        await connectors.For(flow.PlatformKey).ReleaseAccountsAsync(platform, accessToken, released, ct);
        if (chosen is null)
        {
            return await FailAsync(flow, connection, 403, "cancelled", "The customer did not choose an organisation.", ct);
        }

        var tokens = new TokenSet(accessToken, token.ProtectedRefreshToken is { } r ? secrets.Unprotect(r) : null, token.AccessTokenExpiresAt, token.Scope, null);
        return await LinkAsync(flow, connection, tokens, chosen.Parameters, ct);
    }

    private async Task<AuthorizationOutcome> LinkAsync(
        OAuthFlow flow, Connection connection, TokenSet tokens, IReadOnlyDictionary<string, string> account, CancellationToken ct)
    {
        // The pre-step's values (a Shopify shop) and the chosen account's (a Xero tenant, a QuickBooks realm) together.
        var parameters = new Dictionary<string, string>(flow.Account);
        foreach (var (key, value) in account)
        {
            parameters[key] = value;
        }

        var company = await lifecycle.LinkAsync(connection, tokens, parameters, flow.Consent, ct);
        db.JourneyEvents.Add(Event(flow, connection, JourneyStep.Authorized, null, time.GetUtcNow().UtcDateTime));
        await db.SaveChangesAsync(ct);
        return new AuthorizationOutcome(200, "", connection.Id, flow.CompanyId, flow.Journey, flow.ReturnParameters) { Connection = connection, Company = company };
    }

    private async Task<AuthorizationOutcome> FailAsync(OAuthFlow flow, Connection connection, int statusCode, string reason, string statusText, CancellationToken ct)
    {
        await lifecycle.FailAsync(connection, statusCode, statusText, ct);
        db.JourneyEvents.Add(Event(flow, connection, JourneyStep.Failed, reason, time.GetUtcNow().UtcDateTime));
        await db.SaveChangesAsync(ct);
        return new AuthorizationOutcome(statusCode, statusText, connection.Id, flow.CompanyId, flow.Journey, flow.ReturnParameters) { Connection = connection };
    }

    private static JourneyEvent Event(OAuthFlow flow, Connection connection, JourneyStep step, string? detail, DateTime at) => new()
    {
        Id = Guid.CreateVersion7(), CompanyId = flow.CompanyId, ConnectionId = connection.Id, Step = step,
        SourceType = connection.SourceType, PlatformKey = connection.PlatformKey, Detail = detail, At = at,
    };

    // The callback's look-ups, compiled once per model (no parameter extraction or query-cache look-up per callback).
    private static readonly PerModel<Func<ConsentryDbContext, byte[], CancellationToken, Task<OAuthFlow?>>> FlowByState = new(() =>
        EF.CompileAsyncQuery((ConsentryDbContext db, byte[] stateHash, CancellationToken ct) =>
            db.OAuthFlows.IgnoreQueryFilters().AsNoTracking().FirstOrDefault(f => f.StateHash == stateHash)));

    private static readonly PerModel<Func<ConsentryDbContext, Guid, CancellationToken, Task<Connection?>>> ConnectionById = new(() =>
        EF.CompileAsyncQuery((ConsentryDbContext db, Guid id, CancellationToken ct) => db.Connections.FirstOrDefault(c => c.Id == id)));

    private static AuthorizationOutcome Refused(string message) =>
        new(400, message, null, null, LinkJourneyKind.Connection, [], PageError: message);

    private static byte[] Hash(string value) => SHA256.HashData(Encoding.UTF8.GetBytes(value));
}

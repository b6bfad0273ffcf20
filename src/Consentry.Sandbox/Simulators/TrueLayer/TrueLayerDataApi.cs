using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using static Consentry.Sandbox.Simulators.TrueLayer.TrueLayerTokens;

namespace Consentry.Sandbox.Simulators.TrueLayer;

/// <summary>
/// The Data API v1 (api.truelayer.com/data/v1): <c>/me</c>, <c>/info</c>, <c>/accounts</c> and <c>/cards</c> with their
/// balance, transactions (<c>from</c>/<c>to</c>) and pending transactions, each in the <c>{"results": […], "status":
/// "Succeeded"}</c> envelope. Errors as TrueLayer documents them (docs.truelayer.com/docs/data-api-errors): 401
/// <c>invalid_token</c>; 403 <c>access_denied</c> when the consent expired or was revoked, <c>sca_exceeded</c> for history
/// older than 90 days outside the SCA window; 400 <c>validation_error</c>/<c>invalid_date_range</c>; 404
/// <c>account_not_found</c>; 501 <c>endpoint_not_supported</c> for cards at a bank without them; queued 429/5xx.
/// </summary>
internal static class TrueLayerDataApi
{
    public static void Map(RouteGroupBuilder api, TrueLayerSimulator sim)
    {
        api.MapGet("/me", (HttpContext c) => Serve(c, sim, "me", null, (grant, _) => Envelope(Me(sim, grant))));
        api.MapGet("/info", (HttpContext c) => Serve(c, sim, "info", "info", (_, _) => Envelope(Info())));
        foreach (var (kind, card) in new[] { ("accounts", false), ("cards", true) })
        {
            var scope = card ? "cards" : "accounts";
            api.MapGet($"/{kind}", (HttpContext c) => Serve(c, sim, kind, scope, (_, bank) => Envelope([.. (card ? bank.Cards : bank.Accounts).Select(s => (JsonNode)s.Resource.DeepClone())]), card));
            api.MapGet($"/{kind}/{{id}}", (HttpContext c, string id) => Serve(c, sim, kind, scope, (_, bank) => One(bank, id, card, s => Envelope(s.Resource.DeepClone())), card));
            api.MapGet($"/{kind}/{{id}}/balance", (HttpContext c, string id) => Serve(c, sim, $"{kind}/balance", "balance", (_, bank) => One(bank, id, card, s => Envelope(s.Balance.DeepClone())), card));
            api.MapGet($"/{kind}/{{id}}/transactions", (HttpContext c, string id) => Serve(c, sim, $"{kind}/transactions", "transactions", (grant, bank) => One(bank, id, card, s => Transactions(c, sim, grant, s)), card));
            api.MapGet($"/{kind}/{{id}}/transactions/pending", (HttpContext c, string id) => Serve(c, sim, $"{kind}/pending", "transactions", (_, bank) => One(bank, id, card, s => Envelope([.. s.Pending.Select(p => (JsonNode)p.DeepClone())])), card));
        }
    }

    /// <summary>Authenticates, counts, applies queued failures and the consent's state, checks the scope, then answers.</summary>
    private static IResult Serve(HttpContext context, TrueLayerSimulator sim, string endpoint, string? scope, Func<TrueLayerGrant, TrueLayerBank, IResult> answer, bool cards = false)
    {
        if (Bearer(context, sim) is not { } grant)
        {
            return DataError(StatusCodes.Status401Unauthorized, "invalid_token", "The access token is invalid or has expired.");
        }

        var now = sim.Now;
        var user = sim.State.User(grant.Username);
        TrueLayerForcedFailure? failure;
        lock (user.Gate)
        {
            user.Calls++;
            user.CallsByEndpoint[endpoint] = user.CallsByEndpoint.GetValueOrDefault(endpoint) + 1;
            failure = user.Failures.TryDequeue(out var f) ? f : null;
            if (grant.CallsUntilConsentEnds is { } left)
            {
                grant.CallsUntilConsentEnds = left - 1;
                if (left <= 0)
                {
                    grant.ConsentExpiresAt = now;
                    grant.CallsUntilConsentEnds = null;
                }
            }
        }

        if (failure is not null)
        {
            if (failure.RetryAfterSeconds is { } wait)
            {
                context.Response.Headers.RetryAfter = wait.ToString(CultureInfo.InvariantCulture);
            }

            return DataError(failure.Status, failure.Error, failure.Description);
        }

        if (grant.Revoked)
        {
            return DataError(StatusCodes.Status403Forbidden, "access_denied", "Access to the account was revoked by the user.");
        }

        if (grant.ConsentExpired(now))
        {
            return DataError(StatusCodes.Status403Forbidden, "access_denied", "The consent has expired: the user must re-authenticate.");
        }

        if (scope is not null && !grant.Scopes.Contains(scope))
        {
            return DataError(StatusCodes.Status403Forbidden, "insufficient_scope", $"The access token was not granted the {scope} scope.");
        }

        if (cards && !grant.Provider.Cards)
        {
            return DataError(StatusCodes.Status501NotImplemented, "endpoint_not_supported", "Feature not supported by the provider");
        }

        var bank = sim.State.Bank(grant.Username, grant.Provider, now);
        lock (bank.Gate)
        {
            return answer(grant, bank);
        }
    }

    private static IResult One(TrueLayerBank bank, string id, bool card, Func<TrueLayerSource, IResult> answer) =>
        bank.Find(id, card) is { } source ? answer(source) : DataError(StatusCodes.Status404NotFound, "account_not_found", "The requested account cannot be found.");

    private static IResult Transactions(HttpContext context, TrueLayerSimulator sim, TrueLayerGrant grant, TrueLayerSource source)
    {
        var now = sim.Now;
        string? fromText = context.Request.Query["from"], toText = context.Request.Query["to"];
        if ((fromText is null) != (toText is null))
        {
            return DataError(StatusCodes.Status400BadRequest, "validation_error", "Both from and to must be given, or neither.");
        }

        var from = now.AddDays(-90);
        var to = now;
        if (fromText is not null && (!TryDate(fromText, out from) || !TryDate(toText!, out to)))
        {
            return DataError(StatusCodes.Status400BadRequest, "validation_error", "from and to must be ISO 8601 dates or date-times.");
        }

        if (from > to)
        {
            return DataError(StatusCodes.Status400BadRequest, "invalid_date_range", "Invalid date range provided: from is after to.");
        }

        if (from < now.AddDays(-90) && now - grant.AuthenticatedAt > sim.Options.ScaWindow)
        {
            return DataError(StatusCodes.Status403Forbidden, "sca_exceeded",
                "SCA exemption has expired. This resource is protected and should be accessed shortly after PSU Authentication. In order to access this resource, please have the PSU re-authenticate.");
        }

        // A date-only "to" covers that whole day.
        var end = toText is { Length: 10 } ? to.AddDays(1) : to;
        return Envelope([.. source.Transactions.Where(t => t.At >= from && t.At < end).Select(t => (JsonNode)t.Json.DeepClone())]);
    }

    private static bool TryDate(string text, out DateTime value) =>
        DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out value);

    private static JsonObject Me(TrueLayerSimulator sim, TrueLayerGrant grant) => new()
    {
        ["client_id"] = sim.ClientId,
        ["credentials_id"] = grant.CredentialsId,
        ["consent_status"] = "Authorised",
        ["consent_status_updated_at"] = TrueLayerBank.Stamp(grant.AuthenticatedAt),
        ["consent_created_at"] = TrueLayerBank.Stamp(grant.ConsentCreatedAt),
        ["consent_expires_at"] = TrueLayerBank.Stamp(grant.ConsentExpiresAt),
        ["provider"] = new JsonObject { ["display_name"] = grant.Provider.DisplayName, ["logo_uri"] = grant.Provider.LogoUri, ["provider_id"] = grant.Provider.Id },
        ["scopes"] = new JsonArray([.. grant.Scopes.Select(s => (JsonNode)JsonValue.Create(s))]),
        ["privacy_policy"] = "Feb2019",
    };

    private static JsonObject Info() => new()
    {
        ["full_name"] = "Sherlock Holmes",
        ["date_of_birth"] = "1854-01-06T00:00:00",
        ["emails"] = new JsonArray("sherlock.holmes@example.com"),
        ["phones"] = new JsonArray("+447777777777"),
        ["addresses"] = new JsonArray(new JsonObject { ["address"] = "221B Baker Street", ["city"] = "London", ["state"] = "Greater London", ["zip"] = "NW1 6XE", ["country"] = "GB" }),
        ["update_timestamp"] = "2024-01-01T00:00:00Z",
    };

    private static IResult Envelope(params JsonNode[] results) => Json(new JsonObject { ["results"] = new JsonArray(results), ["status"] = "Succeeded" });
}

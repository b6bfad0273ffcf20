using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Consentry.Sandbox.Simulators.TrueLayer;

/// <summary>
/// Test controls of the TrueLayer simulator (HTTP Basic with the simulator's client credentials), per user: queue Data
/// API failures (429, 5xx provider errors), expire access tokens, revoke refresh tokens, end the consent now or after a
/// number of calls, add a transaction, and read the counters.
/// </summary>
internal static class TrueLayerControl
{
    public static void Map(RouteGroupBuilder control, TrueLayerSimulator sim)
    {
        control.RequireClient(sim.IsClient);

        control.MapGet("/users/{username}/stats", (string username) =>
        {
            var user = sim.State.User(username);
            var grants = sim.State.GrantsOf(username).ToList();
            lock (user.Gate)
            {
                var byEndpoint = new JsonObject();
                foreach (var (endpoint, calls) in user.CallsByEndpoint)
                {
                    byEndpoint[endpoint] = calls;
                }

                return Results.Json(new JsonObject
                {
                    ["calls"] = user.Calls,
                    ["callsByEndpoint"] = byEndpoint,
                    ["refreshes"] = user.Refreshes,
                    ["reusedRefreshTokens"] = user.ReusedRefreshTokens,
                    ["deletes"] = user.Deletes,
                    ["credentials"] = new JsonArray([.. grants.Select(g => (JsonNode)new JsonObject
                    {
                        ["credentialsId"] = g.CredentialsId, ["providerId"] = g.Provider.Id, ["revoked"] = g.Revoked,
                        ["consentExpiresAt"] = TrueLayerBank.Stamp(g.ConsentExpiresAt),
                    })]),
                });
            }
        });

        control.MapGet("/users/{username}/banks/{providerId}", (string username, string providerId) =>
        {
            if (TrueLayerUsers.Providers.FirstOrDefault(p => p.Id == providerId) is not { } provider || TrueLayerUsers.BehaviourOf(username) is null)
            {
                return Results.NotFound();
            }

            var bank = sim.State.Bank(username, provider, sim.Now);
            lock (bank.Gate)
            {
                return Results.Json(new JsonObject
                {
                    ["accounts"] = new JsonArray([.. bank.Accounts.Select(a => (JsonNode)Counts(a))]),
                    ["cards"] = new JsonArray([.. bank.Cards.Select(c => (JsonNode)Counts(c))]),
                });
            }
        });

        control.MapPost("/users/{username}/failures", (string username, FailureBody body) =>
        {
            var user = sim.State.User(username);
            lock (user.Gate)
            {
                for (var i = 0; i < (body.Count ?? 1); i++)
                {
                    user.Failures.Enqueue(new TrueLayerForcedFailure(body.Status, body.Error ?? DefaultError(body.Status), body.Description ?? "Simulated failure.", body.RetryAfterSeconds));
                }
            }

            return Results.Ok(new { queued = body.Count ?? 1 });
        }).DisableAntiforgery();

        control.MapPost("/users/{username}/access-tokens/expire", (string username) =>
        {
            var expired = 0;
            foreach (var (key, token) in sim.State.AccessTokens.Where(t => t.Value.Grant.Username == username))
            {
                sim.State.AccessTokens[key] = token with { ExpiresAt = DateTime.MinValue };
                expired++;
            }

            return Results.Ok(new { expired });
        }).DisableAntiforgery();

        control.MapPost("/users/{username}/refresh-tokens/revoke", (string username) =>
        {
            var revoked = 0;
            foreach (var token in sim.State.RefreshTokens.Values.Where(t => t.Grant.Username == username))
            {
                token.Revoked = true;
                revoked++;
            }

            return Results.Ok(new { revoked });
        }).DisableAntiforgery();

        // The bank ends the consent now, or after afterCalls more Data API calls (a consent that expires during a read).
        control.MapPost("/users/{username}/consent/expire", (string username, ExpireBody body) =>
        {
            var grants = sim.State.GrantsOf(username).Where(g => !g.Revoked).ToList();
            foreach (var grant in grants)
            {
                lock (sim.State.User(username).Gate)
                {
                    if (body.AfterCalls is { } calls)
                    {
                        grant.CallsUntilConsentEnds = calls;
                    }
                    else
                    {
                        grant.ConsentExpiresAt = sim.Now;
                    }
                }
            }

            return Results.Ok(new { grants = grants.Count });
        }).DisableAntiforgery();
    }

    private static JsonObject Counts(TrueLayerSource source) => new()
    {
        ["id"] = source.Id,
        ["transactions"] = source.Transactions.Count,
        ["pending"] = source.Pending.Count,
        ["oldest"] = source.Transactions.Count == 0 ? null : TrueLayerBank.Stamp(source.Transactions[^1].At),
    };

    private static string DefaultError(int status) => status switch
    {
        429 => "provider_too_many_requests",
        501 => "endpoint_not_supported",
        503 => "provider_error",
        _ => "internal_server_error",
    };


    internal sealed record FailureBody(int Status, string? Error, string? Description, int? Count, int? RetryAfterSeconds);

    internal sealed record ExpireBody(int? AfterCalls);
}

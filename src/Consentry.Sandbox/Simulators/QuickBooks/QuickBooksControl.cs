using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Consentry.Sandbox.Simulators.QuickBooks;

/// <summary>
/// Switchable failures and inspection for tests, authenticated with the simulator's client credentials (basic auth):
/// <list type="bullet">
/// <item><c>GET users/{username}/companies</c>: the user's realm ids and names (made on first use).</item>
/// <item><c>POST companies/{realmId}/fail?status=429|5xx&amp;count=n[&amp;retryAfter=s]</c>: the next n API calls fail so.</item>
/// <item><c>POST companies/{realmId}/expire-access-tokens</c>, <c>…/revoke-refresh-tokens</c>, <c>…/disconnect</c> (the company
/// disconnects the app: Intuit revokes its tokens).</item>
/// <item><c>POST companies/{realmId}/{Entity}/{id}/modify|delete|void</c>: change the company's records.</item>
/// <item><c>GET companies/{realmId}/traffic</c>, <c>POST …/traffic/reset</c>: requests, peak concurrency, throttled calls, queries.</item>
/// </list>
/// </summary>
internal static class QuickBooksControl
{
    public static void Map(RouteGroupBuilder group, QuickBooksSimulator simulator)
    {
        group.AddEndpointFilter(async (context, next) =>
            QuickBooksTokens.ClientAuthenticated(context.HttpContext, simulator) ? await next(context) : Results.Unauthorized());

        group.MapGet("/users/{username}/companies", (string username) => QuickBooksCompanies.Profile(username) is null
            ? Results.NotFound()
            : Results.Json(simulator.Companies.For(username).Select(c => new { realmId = c.RealmId, name = c.Name })));

        group.MapPost("/companies/{realmId}/fail", (string realmId, int status, int? count, int? retryAfter) =>
        {
            if (status is not (429 or >= 500 and <= 599))
            {
                return Results.BadRequest();
            }

            simulator.TrafficOf(realmId).Fail(status, Math.Clamp(count ?? 1, 1, 1000), retryAfter);
            return Results.NoContent();
        });

        group.MapPost("/companies/{realmId}/expire-access-tokens", (string realmId) =>
        {
            simulator.Auth.ExpireAccessTokens(realmId);
            return Results.NoContent();
        });

        group.MapPost("/companies/{realmId}/revoke-refresh-tokens", (string realmId) =>
        {
            foreach (var grant in simulator.Auth.GrantsOf(realmId))
            {
                grant.RefreshExpires = simulator.Time.GetUtcNow();
            }

            return Results.NoContent();
        });

        group.MapPost("/companies/{realmId}/disconnect", (string realmId) =>
        {
            if (simulator.Companies.Find(realmId) is not { } company)
            {
                return Results.NotFound();
            }

            company.Disconnected = true;
            foreach (var grant in simulator.Auth.GrantsOf(realmId))
            {
                grant.Revoked = true;
            }

            return Results.NoContent();
        });

        group.MapPost("/companies/{realmId}/{entity}/{id}/{change}", (string realmId, string entity, string id, string change) =>
        {
            if (simulator.Companies.Find(realmId) is not { } company || !QuickBooksData.Entities.Contains(entity, StringComparer.Ordinal))
            {
                return Results.NotFound();
            }

            var now = simulator.Time.GetUtcNow();
            var done = change switch
            {
                "delete" => company.Delete(entity, id, now),
                "modify" => company.Modify(entity, id, now, r => r["PrivateNote"] = $"Changed at {now:O}"),
                "void" when entity == "Invoice" => company.Modify(entity, id, now, Void),
                _ => false,
            };
            return done ? Results.NoContent() : Results.NotFound();
        });

        group.MapGet("/companies/{realmId}/traffic", (string realmId) => Results.Json(simulator.TrafficOf(realmId).Snapshot()));
        group.MapPost("/companies/{realmId}/traffic/reset", (string realmId) =>
        {
            simulator.TrafficOf(realmId).Reset();
            return Results.NoContent();
        });
    }

    /// <summary>What QuickBooks does to a voided invoice: amounts zeroed, balance zero, "Voided" as its private note.</summary>
    private static void Void(JsonObject invoice)
    {
        invoice["TotalAmt"] = 0m;
        invoice["Balance"] = 0m;
        invoice["PrivateNote"] = "Voided";
        invoice["TxnTaxDetail"] = new JsonObject { ["TotalTax"] = 0m };
        foreach (var line in invoice["Line"]!.AsArray().OfType<JsonObject>())
        {
            line["Amount"] = 0m;
            if (line["SalesItemLineDetail"] is JsonObject detail)
            {
                detail["Qty"] = 0;
                detail["UnitPrice"] = 0m;
            }
        }
    }
}

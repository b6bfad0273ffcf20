using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Consentry.Sandbox.Simulators.Plaid;

/// <summary>
/// Test controls of the Plaid simulator (HTTP Basic with the simulator's client_id and secret), on a user's latest
/// item: switch an item error on (ITEM_LOGIN_REQUIRED…), move the consent's expiry (pending expiration, or expired),
/// queue 429s or 5xx, add, modify or remove transactions, and read the item's state and the calls answered.
/// </summary>
internal static class PlaidControl
{
    public static void Map(RouteGroupBuilder control, PlaidSimulator sim)
    {
        control.RequireClient(sim.IsClient);

        control.MapGet("/calls", () => Results.Json(sim.State.Calls.ToDictionary(c => c.Key, c => c.Value)));
        control.MapGet("/users/{username}/item", (string username) => ItemStats(sim, username));
        control.MapPost("/users/{username}/item/error", (string username, ErrorBody body) => SetError(sim, username, body)).DisableAntiforgery();
        control.MapPost("/users/{username}/item/consent", (string username, ConsentBody body) => SetConsent(sim, username, body)).DisableAntiforgery();
        control.MapPost("/users/{username}/item/failures", (string username, FailureBody body) => QueueFailures(sim, username, body)).DisableAntiforgery();
        control.MapPost("/users/{username}/transactions/{change}", (string username, string change, ChangeBody body) => ChangeTransactions(sim, username, change, body))
            .DisableAntiforgery();
    }

    private static IResult ItemStats(PlaidSimulator sim, string username) =>
        sim.State.LatestItemOf(username) is { } item ? Results.Json(Stats(sim, item)) : Results.NotFound();

    private static IResult SetError(PlaidSimulator sim, string username, ErrorBody body) => Change(sim, username, item =>
        item.Error = new PlaidItemError("ITEM_ERROR", body.Code,
            body.Code == "ITEM_LOGIN_REQUIRED" ? "the login details of this item have changed (credentials, MFA, or required user action) and a user login is required to update this information. use Link's update mode to restore the item to a good state" : $"the item answered {body.Code}",
            "To keep using this account, reconnect it.", body.Reason));

    private static IResult SetConsent(PlaidSimulator sim, string username, ConsentBody body) =>
        Change(sim, username, item =>
        {
            item.ConsentExpiration = body.ExpiresAt?.ToUniversalTime() ?? item.ConsentExpiration;
            item.ConsentExpiresAfterCalls = body.AfterCalls;
        });

    private static IResult QueueFailures(PlaidSimulator sim, string username, FailureBody body) => Change(sim, username, item =>
    {
        for (var i = 0; i < Math.Clamp(body.Count ?? 1, 1, 100); i++)
        {
            item.Failures.Enqueue(body.Status);
        }
    });

    private static IResult ChangeTransactions(PlaidSimulator sim, string username, string change, ChangeBody body)
    {
        var ids = new JsonArray();
        return change is "add" or "modify" or "remove"
            ? Change(sim, username, item => Transactions(sim, item, change, Math.Clamp(body.Count, 1, 1000), ids), ids)
            : Results.NotFound();
    }

    private static void Transactions(PlaidSimulator sim, PlaidItem item, string change, int count, JsonArray ids)
    {
        var version = ++item.Version;
        if (change == "add")
        {
            for (var i = 0; i < count; i++)
            {
                var id = $"added{version:x6}{i:x4}".PadRight(37, 'n');
                item.Transactions.Add(new PlaidTransaction
                {
                    Id = id, AccountId = item.Accounts[0].Id, Amount = 12.34m + i, Date = DateOnly.FromDateTime(sim.Now), Name = "Touchstone Climbing",
                    MerchantName = "Touchstone", Primary = "ENTERTAINMENT", Detailed = "ENTERTAINMENT_SPORTING_EVENTS_AMUSEMENT_PARKS_AND_MUSEUMS",
                    Pending = true, AddedVersion = version, ModifiedVersion = version,
                });
                ids.Add(id);
            }

            return;
        }

        foreach (var t in item.Transactions.Where(t => t.RemovedVersion is null).OrderByDescending(t => t.Date).ThenBy(t => t.Id, StringComparer.Ordinal).Take(count))
        {
            if (change == "remove")
            {
                t.RemovedVersion = version;
            }
            else
            {
                t.Amount += 1m;
                t.Name += " (corrected)";
                t.Pending = false;
                t.ModifiedVersion = version;
            }

            ids.Add(t.Id);
        }
    }

    private static IResult Change(PlaidSimulator sim, string username, Action<PlaidItem> change, JsonNode? answer = null)
    {
        if (sim.State.LatestItemOf(username) is not { } item)
        {
            return Results.NotFound();
        }

        lock (item.Gate)
        {
            change(item);
        }

        return Results.Json(answer ?? Stats(sim, item));
    }

    private static JsonObject Stats(PlaidSimulator sim, PlaidItem item)
    {
        lock (item.Gate)
        {
            return new JsonObject
            {
                ["itemId"] = item.ItemId,
                ["removed"] = item.Removed,
                ["error"] = PlaidApi.ItemError(sim, item)?.Code,
                ["consentExpirationTime"] = item.ConsentExpiration is { } end ? PlaidLinkTokens.Time(end) : null,
                ["transactions"] = item.Transactions.Count(t => t.RemovedVersion is null),
                ["accounts"] = item.Accounts.Count,
                ["failuresQueued"] = item.Failures.Count,
            };
        }
    }


    internal sealed record ErrorBody(string Code, string? Reason);

    internal sealed record ConsentBody(DateTime? ExpiresAt, int? AfterCalls);

    internal sealed record FailureBody(int Status, int? Count);

    internal sealed record ChangeBody(int Count);
}

using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Consentry.Sandbox.Simulators.Stripe;

/// <summary>
/// Test controls of the Stripe simulator (HTTP Basic with the platform's client id and secret key), per test user's
/// account: tell and roll its restricted key, queue 429s (<c>rate_limit</c> or <c>lock_timeout</c>) or 5xx, deauthorize
/// the platform, add, change or delete records, and read the counters.
/// </summary>
internal static class StripeControl
{
    public static void Map(RouteGroupBuilder control, StripeSimulator sim)
    {
        control.RequireClient(sim.IsClient);

        control.MapGet("/users/{username}/keys", (string username) => StripeUsers.RestrictedKeyOf(username) is { } key
            ? Results.Json(new { account = StripeUsers.AccountIdOf(username), restrictedKey = key, expired = sim.State.ExpiredKeys.ContainsKey(key) })
            : Results.NotFound());

        control.MapPost("/users/{username}/keys/roll", (string username) =>
        {
            if (StripeUsers.RestrictedKeyOf(username) is not { } key)
            {
                return Results.NotFound();
            }

            sim.State.ExpiredKeys[key] = true;
            return Results.Ok(new { expired = key });
        }).DisableAntiforgery();

        control.MapGet("/users/{username}/stats", (string username) => StripeUsers.HasAccount(username)
            ? Results.Json(Stats(sim, sim.State.Account(username)))
            : Results.NotFound());

        control.MapPost("/users/{username}/failures", (string username, FailureBody body) =>
        {
            if (!StripeUsers.HasAccount(username) || body.Status is < 400 or > 599)
            {
                return Results.NotFound();
            }

            sim.State.Account(username).QueueFailures(new StripeForcedFailure(body.Status, body.Code), body.Count ?? 1);
            return Results.Ok(new { queued = body.Count ?? 1 });
        }).DisableAntiforgery();

        control.MapPost("/users/{username}/deauthorize", (string username) => StripeUsers.HasAccount(username)
            ? Results.Ok(new { deauthorized = sim.State.Deauthorize(StripeUsers.AccountIdOf(username)) })
            : Results.NotFound()).DisableAntiforgery();

        // add: new records created now; modify: the newest records' names change; delete: the newest records leave the lists
        // (Stripe lists no deleted customers or products).
        control.MapPost("/users/{username}/{resource}/{change}", (string username, string resource, string change, ChangeBody body) =>
        {
            if (!StripeUsers.HasAccount(username) || !StripeAccountData.Resources.Contains(resource) || change is not ("add" or "modify" or "delete"))
            {
                return Results.NotFound();
            }

            var account = sim.State.Account(username);
            var now = new DateTimeOffset(sim.Now).ToUnixTimeSeconds();
            var changed = new JsonArray();
            for (var i = 0; i < Math.Clamp(body.Count, 1, 1000); i++)
            {
                lock (account.Gate)
                {
                    if (Change(account, resource, change, now, i) is { } id)
                    {
                        changed.Add(id);
                    }
                }
            }

            return Results.Ok(new JsonObject { ["changed"] = changed });
        }).DisableAntiforgery();
    }

    private static string? Change(StripeAccountData account, string resource, string change, long now, int index)
    {
        var list = account.Lists[resource];
        switch (change)
        {
            case "delete":
                if (list.Count == 0)
                {
                    return null;
                }

                var gone = list[0];
                list.RemoveAt(0);
                return (string?)gone["id"];
            case "modify":
                if (index >= list.Count)
                {
                    return null;
                }

                var record = list[index];
                var field = record.ContainsKey("name") ? "name" : "description";
                record[field] = $"{(string?)record[field]} (changed)";
                return (string?)record["id"];
            default:
                return Add(account, resource, now, index);
        }
    }

    private static string Add(StripeAccountData account, string resource, long now, int index)
    {
        var id = StripeDataGenerator.NewId;
        var customer = account.Lists["customers"].FirstOrDefault();
        switch (resource)
        {
            case "customers":
                var added = StripeObjects.Customer(id("cus_"), now, $"New Customer {index + 1}", $"new{index + 1}@example.com", "+44 20 7946 0999", "London", "E1 6AN", "1 New Road");
                account.Lists["customers"].Insert(0, added);
                return (string)added["id"]!;
            case "products" or "prices":
                string productId = id("prod_"), priceId = id("price_");
                account.Lists["products"].Insert(0, StripeObjects.Product(productId, now, $"New product {index + 1}", "Added by the simulator's control", priceId));
                account.Lists["prices"].Insert(0, StripeObjects.Price(priceId, now, productId, 1500));
                return resource == "products" ? productId : priceId;
            default:
                // A payment: its intent, charge and balance transaction together, as Stripe creates them.
                string chargeId = id("ch_"), intentId = id("pi_"), txnId = id("txn_");
                var customerId = (string?)customer?["id"] ?? "";
                account.Lists["charges"].Insert(0, StripeObjects.Charge(chargeId, now, 4200, 0, customerId, (string?)customer?["name"] ?? "", (string?)customer?["email"] ?? "", intentId, txnId, "New order", disputed: false));
                account.Lists["payment_intents"].Insert(0, StripeObjects.PaymentIntent(intentId, now, 4200, customerId, chargeId, "New order"));
                account.Lists["balance_transactions"].Insert(0, StripeObjects.BalanceTransaction(txnId, now, 4200, 83, "charge", "charge", chargeId, "New order"));
                return resource switch { "payment_intents" => intentId, "balance_transactions" => txnId, _ => chargeId };
        }
    }

    private static JsonObject Stats(StripeSimulator sim, StripeAccountData account)
    {
        var counts = new JsonObject();
        lock (account.Gate)
        {
            foreach (var (resource, list) in account.Lists)
            {
                counts[resource] = list.Count;
            }
        }

        return new JsonObject
        {
            ["account"] = account.AccountId,
            ["calls"] = account.Calls,
            ["connected"] = sim.State.Connected.ContainsKey(account.AccountId),
            ["counts"] = counts,
        };
    }


    internal sealed record FailureBody(int Status, int? Count, string? Code);

    internal sealed record ChangeBody(int Count);
}

using System.Net.Http.Headers;
using System.Text;
using Consentry.Sandbox.OAuth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Consentry.Sandbox.Simulators.Shopify;

/// <summary>
/// Switchable failures and inspection for tests, authenticated with the simulator's client credentials (basic auth):
/// <list type="bullet">
/// <item><c>GET shops/{shop}/traffic</c>, <c>POST …/traffic/reset</c>: requests, token exchanges, throttled queries, the
/// lowest the cost bucket ever was, the queries.</item>
/// <item><c>POST shops/{shop}/throttle[?restoreRate=r&amp;maximumAvailable=m]</c>: the cost bucket is empty now.</item>
/// <item><c>POST shops/{shop}/failures?count=n[&amp;status=502|503]</c>: the next n GraphQL calls answer that 5xx (503 unless said).</item>
/// <item><c>POST shops/{shop}/uninstall</c>: the merchant uninstalls the app (its token answers 401 from then on).</item>
/// <item><c>POST shops/{shop}/{customers|products|orders}/{id}/modify|delete</c>: change the shop's records.</item>
/// </list>
/// </summary>
internal static class ShopifyControl
{
    public static void Map(RouteGroupBuilder group, ShopifySimulator simulator)
    {
        group.AddEndpointFilter(async (context, next) => Authenticated(context.HttpContext, simulator) ? await next(context) : Results.Unauthorized());

        group.MapGet("/shops/{shop}/traffic", (string shop) =>
            simulator.Find(shop) is { } store ? Results.Json(store.Traffic(simulator.Time.GetUtcNow())) : Results.NotFound());

        group.MapPost("/shops/{shop}/traffic/reset", (string shop) => With(simulator, shop, store => store.ResetTraffic()));

        group.MapPost("/shops/{shop}/throttle", (string shop, double? restoreRate, int? maximumAvailable) => With(simulator, shop, store =>
        {
            lock (store.Lock)
            {
                store.RestoreRate = restoreRate is > 0 ? restoreRate.Value : store.RestoreRate;
                store.MaximumAvailable = maximumAvailable is > 0 ? maximumAvailable.Value : store.MaximumAvailable;
            }

            store.Drain(simulator.Time.GetUtcNow());
        }));

        group.MapPost("/shops/{shop}/failures", (string shop, int? count, int? status) =>
            count is not > 0 || status is not (null or 502 or 503 or 500 or 504)
                ? Results.BadRequest()
                : With(simulator, shop, store => store.FailNext(count.Value, status ?? StatusCodes.Status503ServiceUnavailable)));

        group.MapPost("/shops/{shop}/uninstall", (string shop) => With(simulator, shop, simulator.Uninstall));

        group.MapPost("/shops/{shop}/{resource}/{id}/{change}", (string shop, string resource, string id, string change) =>
        {
            if (simulator.Find(shop) is not { } store || !ShopifyStore.IsResource(resource))
            {
                return Results.NotFound();
            }

            var now = simulator.Time.GetUtcNow();
            var done = change switch
            {
                "modify" => store.Modify(resource, id, now, r =>
                {
                    var field = resource switch { "customers" => "note", "products" => "description", _ => "displayFulfillmentStatus" };
                    r[field] = resource == "orders" ? "PARTIALLY_FULFILLED" : $"Changed at {ShopifyData.Iso(now)}";
                }),
                "delete" => store.Delete(resource, id),
                _ => false,
            };
            return done ? Results.NoContent() : Results.NotFound();
        });
    }

    private static IResult With(ShopifySimulator simulator, string shop, Action<ShopifyStore> action)
    {
        if (simulator.Find(shop) is not { } store)
        {
            return Results.NotFound();
        }

        action(store);
        return Results.NoContent();
    }

    private static bool Authenticated(HttpContext context, ShopifySimulator simulator)
    {
        if (!AuthenticationHeaderValue.TryParse(context.Request.Headers.Authorization, out var header) || header.Scheme != "Basic" || header.Parameter is null)
        {
            return false;
        }

        try
        {
            var pair = Encoding.UTF8.GetString(Convert.FromBase64String(header.Parameter)).Split(':', 2);
            return pair.Length == 2 && pair[0] == simulator.ClientId && Secrets.FixedTimeEquals(pair[1], simulator.ClientSecret);
        }
        catch (FormatException)
        {
            return false;
        }
    }
}

using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace Consentry.Sandbox.Simulators.Shopify;

/// <summary>
/// <c>POST /admin/api/{version}/graphql.json</c>: the GraphQL Admin API for the queries a connector sends (<c>shop</c>,
/// <c>customers</c>, <c>products</c>, <c>orders</c> and the <c>appUninstall</c> mutation), answered from the shop's records.
/// Authentication is the <c>X-Shopify-Access-Token</c> header (401 <c>Invalid API key or access token</c> when unknown or
/// uninstalled). Every answer carries <c>extensions.cost</c>; a query costing more than the bucket holds answers
/// <c>THROTTLED</c>, one costing more than 1,000 points <c>MAX_COST_EXCEEDED</c>, as Shopify documents.
/// </summary>
internal static partial class ShopifyGraphQlApi
{
    /// <summary>Shopify: a single query may not cost more than 1,000 points.</summary>
    public const int MaxQueryCost = 1000;

    /// <summary>Shopify: a connection answers at most 250 records a page.</summary>
    public const int MaxPageSize = 250;

    public const string InvalidToken = "[API] Invalid API key or access token (unrecognized login or wrong password)";

    [GeneratedRegex("^(\\d{4}-(01|04|07|10)|unstable)$", RegexOptions.CultureInvariant)]
    private static partial Regex Version();

    public static async Task<IResult> HandleAsync(HttpContext context, ShopifySimulator simulator, string shop, string version)
    {
        if (!Version().IsMatch(version))
        {
            return Results.Json(new { errors = "Not Found" }, statusCode: StatusCodes.Status404NotFound);
        }

        if (simulator.Authenticate(shop, context.Request.Headers["X-Shopify-Access-Token"]) is not { } store)
        {
            return Results.Json(new { errors = InvalidToken }, statusCode: StatusCodes.Status401Unauthorized);
        }

        // A switched-on outage: Shopify's edge answers 502/503 before GraphQL runs, so nothing is charged.
        if (store.TakeFailure() is { } failure)
        {
            return Results.Json(new { errors = failure switch { 502 => "Bad Gateway", 503 => "Service Unavailable", 504 => "Gateway Timeout", _ => "Internal Server Error" } }, statusCode: failure);
        }

        string query;
        JsonObject variables;
        try
        {
            var body = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted) as JsonObject;
            query = body?["query"]?.GetValue<string>() ?? throw new GraphQlSyntaxException("No query string was present");
            variables = body["variables"] as JsonObject ?? [];
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or GraphQlSyntaxException)
        {
            return Errors(new JsonObject { ["message"] = e is GraphQlSyntaxException ? e.Message : "Invalid JSON body" }, null);
        }

        GraphQlOperation operation;
        int requested;
        try
        {
            operation = GraphQlParser.Parse(query);
            requested = operation.Selections.Sum(f => ShopifyExecution.RequestedCost(f, operation, variables));
        }
        catch (GraphQlSyntaxException e)
        {
            return Errors(new JsonObject { ["message"] = e.Message }, null);
        }
        catch (GraphQlFieldException e)
        {
            return Errors(e.ToJson(), null);
        }

        var now = simulator.Time.GetUtcNow();
        if (requested > MaxQueryCost)
        {
            return Errors(new JsonObject
            {
                ["message"] = $"Query cost is {requested}, which exceeds the single query max cost limit ({MaxQueryCost}).",
                ["extensions"] = new JsonObject { ["code"] = "MAX_COST_EXCEEDED", ["cost"] = requested, ["maxCost"] = MaxQueryCost },
            }, Cost(store, requested, null, now));
        }

        var execution = new ShopifyExecution(simulator, store, operation, variables);
        JsonObject data;
        try
        {
            data = execution.Run();
        }
        catch (GraphQlFieldException e)
        {
            return Errors(e.ToJson(), null);
        }

        if (!store.TryCharge(requested, now, query))
        {
            return Errors(new JsonObject
            {
                ["message"] = "Throttled",
                ["extensions"] = new JsonObject { ["code"] = "THROTTLED", ["documentation"] = "https://shopify.dev/api/usage/rate-limits" },
            }, Cost(store, requested, null, now));
        }

        var actual = Math.Min(requested, execution.ActualCost);
        store.Refund(requested - actual);
        if (operation.Kind == "mutation" && execution.Uninstalled)
        {
            simulator.Uninstall(store);
        }

        return Results.Json(new JsonObject { ["data"] = data, ["extensions"] = Cost(store, requested, actual, now) });
    }

    private static JsonObject Cost(ShopifyStore store, int requested, int? actual, DateTimeOffset now)
    {
        var (available, maximum, rate) = store.Bucket(now);
        return new JsonObject
        {
            ["cost"] = new JsonObject
            {
                ["requestedQueryCost"] = requested,
                ["actualQueryCost"] = actual,
                ["throttleStatus"] = new JsonObject
                {
                    ["maximumAvailable"] = (double)maximum,
                    ["currentlyAvailable"] = Math.Floor(available),
                    ["restoreRate"] = rate,
                },
            },
        };
    }

    /// <summary>GraphQL errors come back with 200, as Shopify answers them.</summary>
    private static IResult Errors(JsonObject error, JsonObject? extensions)
    {
        var body = new JsonObject { ["errors"] = new JsonArray(error) };
        if (extensions is not null)
        {
            body["extensions"] = extensions;
        }

        return Results.Json(body);
    }
}

/// <summary>A query that names a field the type lacks (or leaves out a required argument): Shopify's validation error.</summary>
internal sealed class GraphQlFieldException(string message, string code) : Exception(message)
{
    public JsonObject ToJson() => new() { ["message"] = Message, ["extensions"] = new JsonObject { ["code"] = code } };
}

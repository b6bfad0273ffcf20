using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Consentry.Sandbox.Simulators.Shopify;

/// <summary>
/// Runs one parsed operation against a shop: top-level connections (<c>customers</c>, <c>products</c>, <c>orders</c>,
/// paged by <c>first</c>/<c>after</c>, filtered by <c>query: "updated_at:&gt;'…'"</c>), <c>shop</c>, and the
/// <c>appUninstall</c> mutation. Records are projected onto the selection: a field the record lacks is a validation error
/// (as Shopify's schema would refuse it), a list under a selection of <c>nodes</c>/<c>edges</c>/<c>pageInfo</c> is a
/// nested connection. Cost as Shopify documents it: objects 1, connections 2 + first × the node's cost.
/// </summary>
internal sealed partial class ShopifyExecution(ShopifySimulator simulator, ShopifyStore store, GraphQlOperation operation, JsonObject variables)
{
    public int ActualCost { get; private set; }

    public bool Uninstalled { get; private set; }

    [GeneratedRegex("updated_at:(?<op>>=|<=|>|<)['\"]?(?<value>[^'\"\\s]+)['\"]?", RegexOptions.CultureInvariant)]
    private static partial Regex UpdatedAt();

    public JsonObject Run()
    {
        var data = new JsonObject();
        foreach (var field in operation.Selections)
        {
            data[field.ResponseName] = (operation.Kind, field.Name) switch
            {
                ("query", "shop") => Project(store.ShopObject, field, "Shop"),
                ("query", "customers" or "products" or "orders") => Connection(store.All(field.Name), field, TypeOf(field.Name), topLevel: true),
                ("mutation", "appUninstall") => Uninstall(field),
                _ => throw new GraphQlFieldException(
                    $"Field '{field.Name}' doesn't exist on type '{(operation.Kind == "query" ? "QueryRoot" : "Mutation")}'", "undefinedField"),
            };
        }

        return data;
    }

    /// <summary>What Shopify would charge before running the query (the most it may cost).</summary>
    public static int RequestedCost(GraphQlField field, GraphQlOperation operation, JsonObject variables)
    {
        if (field.Selections.Count == 0)
        {
            return 0;
        }

        if (!IsConnection(field))
        {
            return 1 + field.Selections.Sum(f => RequestedCost(f, operation, variables));
        }

        var first = First(field, operation, variables);
        var node = 0;
        foreach (var part in field.Selections)
        {
            node += part.Name switch
            {
                "nodes" => 1 + part.Selections.Sum(f => RequestedCost(f, operation, variables)),
                "edges" => part.Selections.Where(e => e.Name == "node").Sum(n => 1 + n.Selections.Sum(f => RequestedCost(f, operation, variables))),
                _ => 0,
            };
        }

        return 2 + (first * node);
    }

    private static bool IsConnection(GraphQlField field) => field.Selections.Any(f => f.Name is "nodes" or "edges" or "pageInfo");

    private static int First(GraphQlField field, GraphQlOperation operation, JsonObject variables)
    {
        var first = Resolve(field.Arguments.GetValueOrDefault("first"), operation, variables);
        if (first is not long n)
        {
            throw new GraphQlFieldException($"you must provide one of first or last (on '{field.Name}')", "argumentLiteralsIncompatible");
        }

        return n is < 0 or > ShopifyGraphQlApi.MaxPageSize
            ? throw new GraphQlFieldException($"The maximum number of records that can be requested is {ShopifyGraphQlApi.MaxPageSize} (on '{field.Name}')", "argumentLiteralsIncompatible")
            : (int)n;
    }

    private static object? Resolve(object? value, GraphQlOperation operation, JsonObject variables) => value switch
    {
        GraphQlVariable v when variables[v.Name] is JsonValue json => json.TryGetValue<long>(out var l) ? l
            : json.TryGetValue<string>(out var s) ? s : json.TryGetValue<bool>(out var b) ? b : null,
        GraphQlVariable v => operation.Defaults.GetValueOrDefault(v.Name),
        _ => value,
    };

    private JsonObject Connection(List<JsonObject> records, GraphQlField field, string type, bool topLevel)
    {
        var first = First(field, operation, variables);
        IEnumerable<JsonObject> matching = records;
        if (topLevel && Resolve(field.Arguments.GetValueOrDefault("query"), operation, variables) is string search)
        {
            matching = matching.Where(r => Matches(r, search));
        }

        var byUpdated = Resolve(field.Arguments.GetValueOrDefault("sortKey"), operation, variables) is GraphQlEnum { Value: "UPDATED_AT" } or "UPDATED_AT";
        var ordered = matching.Select(r => (Key: byUpdated ? r["updatedAt"]?.GetValue<string>() ?? "" : "", Id: NumericId(r), Record: r))
            .OrderBy(r => r.Key, StringComparer.Ordinal).ThenBy(r => r.Id).ToList();
        if (Resolve(field.Arguments.GetValueOrDefault("after"), operation, variables) is string after)
        {
            var (lastKey, lastId) = Decode(after);
            ordered = [.. ordered.Where(r => string.CompareOrdinal(r.Key, lastKey) > 0 || (r.Key == lastKey && r.Id > lastId))];
        }

        var page = ordered.Take(first).ToList();
        ActualCost += 2;
        var result = new JsonObject();
        foreach (var part in field.Selections)
        {
            result[part.ResponseName] = part.Name switch
            {
                "nodes" => new JsonArray([.. page.Select(r => (JsonNode?)Project(r.Record, part, type))]),
                "edges" => new JsonArray([.. page.Select(r => (JsonNode?)Edge(r.Record, Encode(r.Key, r.Id), part, type))]),
                "pageInfo" => Project(new JsonObject
                {
                    ["hasNextPage"] = ordered.Count > page.Count,
                    ["hasPreviousPage"] = ordered.Count < records.Count,
                    ["startCursor"] = page.Count == 0 ? null : Encode(page[0].Key, page[0].Id),
                    ["endCursor"] = page.Count == 0 ? null : Encode(page[^1].Key, page[^1].Id),
                }, part, "PageInfo"),
                _ => throw new GraphQlFieldException($"Field '{part.Name}' doesn't exist on type '{type}Connection'", "undefinedField"),
            };
        }

        return result;
    }

    private JsonObject Edge(JsonObject record, string cursor, GraphQlField edges, string type)
    {
        var edge = new JsonObject();
        foreach (var part in edges.Selections)
        {
            edge[part.ResponseName] = part.Name switch
            {
                "cursor" => cursor,
                "node" => Project(record, part, type),
                _ => throw new GraphQlFieldException($"Field '{part.Name}' doesn't exist on type '{type}Edge'", "undefinedField"),
            };
        }

        return edge;
    }

    private JsonNode? Project(JsonNode? value, GraphQlField field, string type)
    {
        if (value is not JsonObject record)
        {
            return value?.DeepClone();
        }

        if (field.Selections.Count == 0)
        {
            throw new GraphQlFieldException($"Field must have selections (field '{field.Name}' returns {type} but has no selections.)", "selectionMismatch");
        }

        ActualCost++;
        var result = new JsonObject();
        foreach (var part in field.Selections)
        {
            if (part.Name == "__typename")
            {
                result[part.ResponseName] = type;
                continue;
            }

            if (!record.TryGetPropertyValue(part.Name, out var child))
            {
                throw new GraphQlFieldException($"Field '{part.Name}' doesn't exist on type '{type}'", "undefinedField");
            }

            var childType = TypeOf(part.Name);
            result[part.ResponseName] = child switch
            {
                JsonArray list when IsConnection(part) => Connection([.. list.OfType<JsonObject>()], part, childType, topLevel: false),
                JsonArray list when part.Selections.Count > 0 => new JsonArray([.. list.Select(item => Project(item, part, childType))]),
                JsonObject => Project(child, part, childType),
                _ when part.Selections.Count > 0 && child is not null => throw new GraphQlFieldException(
                    $"Selections can't be made on scalars (field '{part.Name}')", "selectionMismatch"),
                _ => child?.DeepClone(),
            };
        }

        return result;
    }

    private JsonObject Uninstall(GraphQlField field)
    {
        Uninstalled = true;
        var payload = new JsonObject
        {
            ["app"] = new JsonObject { ["id"] = "gid://shopify/App/1000001", ["title"] = "Consentry", ["apiKey"] = simulator.ClientId },
            ["userErrors"] = new JsonArray(),
        };
        return (JsonObject)Project(payload, field, "AppUninstallPayload")!;
    }

    /// <summary>Shopify's search syntax, the part connectors use for incremental reads: <c>updated_at:&gt;'2025-01-01T00:00:00Z'</c>.</summary>
    private static bool Matches(JsonObject record, string search)
    {
        foreach (Match term in UpdatedAt().Matches(search))
        {
            if (!DateTimeOffset.TryParse(term.Groups["value"].Value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var bound)
                || !DateTimeOffset.TryParse(record["updatedAt"]?.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var updated))
            {
                return false;
            }

            var keep = term.Groups["op"].Value switch
            {
                ">" => updated > bound,
                ">=" => updated >= bound,
                "<" => updated < bound,
                _ => updated <= bound,
            };
            if (!keep)
            {
                return false;
            }
        }

        return true;
    }

    private static string TypeOf(string field) => field switch
    {
        "customers" or "customer" => "Customer",
        "products" or "product" => "Product",
        "orders" => "Order",
        "variants" or "variant" => "ProductVariant",
        "lineItems" or "lineItem" => "LineItem",
        "refunds" => "Refund",
        "refundLineItems" => "RefundLineItem",
        "transactions" or "parentTransaction" => "OrderTransaction",
        "addresses" or "defaultAddress" or "billingAddress" => "MailingAddress",
        "taxLines" => "TaxLine",
        "primaryDomain" => "Domain",
        "shopMoney" or "presentmentMoney" => "MoneyV2",
        _ when field.EndsWith("Set", StringComparison.Ordinal) => "MoneyBag",
        _ => char.ToUpperInvariant(field[0]) + field[1..],
    };

    private static long NumericId(JsonObject record) =>
        long.TryParse(record["id"]?.GetValue<string>().Split('/')[^1], NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : 0;

    /// <summary>Opaque cursors, as Shopify's are (base64 of the last record's sort value and id).</summary>
    private static string Encode(string key, long id) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(new JsonObject { ["last_id"] = id, ["last_value"] = key.Length == 0 ? id.ToString(CultureInfo.InvariantCulture) : key }.ToJsonString()));

    private static (string Key, long Id) Decode(string cursor)
    {
        try
        {
            var json = JsonNode.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(cursor)))!;
            var id = json["last_id"]!.GetValue<long>();
            var value = json["last_value"]!.GetValue<string>();
            return (value == id.ToString(CultureInfo.InvariantCulture) ? "" : value, id);
        }
        catch (Exception e) when (e is FormatException or System.Text.Json.JsonException or NullReferenceException or InvalidOperationException)
        {
            throw new GraphQlFieldException("Invalid cursor for current pagination sort.", "argumentLiteralsIncompatible");
        }
    }
}

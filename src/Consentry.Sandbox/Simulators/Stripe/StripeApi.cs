using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Consentry.Sandbox.Simulators.Stripe;

/// <summary>
/// api.stripe.com/v1 as Stripe serves it: <c>GET /v1/account</c>, the lists (customers, products, prices, charges,
/// payment_intents, payouts, balance_transactions, disputes) and one object by id. A call is made with an API key
/// (<c>Authorization: Bearer</c>, or HTTP Basic with the key as user name): the platform's secret key with a
/// <c>Stripe-Account</c> header naming a connected account, a restricted key of the account itself
/// (<c>rk_test_sim_{username}</c>), or a token Connect issued for it. Lists answer Stripe's envelope (<c>object: list</c>,
/// <c>data</c>, <c>has_more</c>, <c>url</c>) newest first, with <c>limit</c> (1–100, 10 by default),
/// <c>starting_after</c> and <c>created[gte|gt|lte|lt]</c>. Errors use Stripe's body.
/// </summary>
internal static class StripeApi
{
    public static IResult Account(HttpContext context, StripeSimulator sim) =>
        Authenticate(context, sim, out var account) is { } refusal ? refusal : Json(account!.Account);

    public static IResult List(HttpContext context, StripeSimulator sim, string resource)
    {
        if (!StripeAccountData.Resources.Contains(resource))
        {
            return Error(StatusCodes.Status404NotFound, "invalid_request_error", null, $"Unrecognized request URL (GET: /v1/{resource}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.");
        }

        if (Authenticate(context, sim, out var account) is { } refusal)
        {
            return refusal;
        }

        var query = context.Request.Query;
        var limit = 10;
        if (query.TryGetValue("limit", out var limitText) && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > 100))
        {
            return Error(StatusCodes.Status400BadRequest, "invalid_request_error", "parameter_invalid_integer", "Invalid integer: limit must be between 1 and 100.", "limit");
        }

        var filters = new List<Func<long, bool>>();
        foreach (var (op, test) in new (string, Func<long, long, bool>)[] { ("gte", (c, v) => c >= v), ("gt", (c, v) => c > v), ("lte", (c, v) => c <= v), ("lt", (c, v) => c < v) })
        {
            if (query.TryGetValue($"created[{op}]", out var text))
            {
                if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var bound))
                {
                    return Error(StatusCodes.Status400BadRequest, "invalid_request_error", "parameter_invalid_integer", $"Invalid integer: {text}", $"created[{op}]");
                }

                filters.Add(c => test(c, bound));
            }
        }

        List<JsonNode> page;
        bool hasMore;
        lock (account!.Gate)
        {
            var all = account.Lists[resource];
            var from = 0;
            if ((string?)query["starting_after"] is { Length: > 0 } after)
            {
                var at = all.FindIndex(r => (string?)r["id"] == after);
                if (at < 0)
                {
                    return Error(StatusCodes.Status400BadRequest, "invalid_request_error", "resource_missing", $"No such object: '{after}'", "starting_after");
                }

                from = at + 1;
            }

            var matching = all.Skip(from).Where(r => filters.All(f => f((long)r["created"]!))).Take(limit + 1).ToList();
            page = [.. matching.Take(limit).Select(r => r.DeepClone())];
            hasMore = matching.Count > limit;
            Expand(account, page, query.Where(q => q.Key.StartsWith("expand", StringComparison.Ordinal)).SelectMany(q => q.Value.OfType<string>()));
        }

        return Json(new JsonObject { ["object"] = "list", ["data"] = new JsonArray([.. page]), ["has_more"] = hasMore, ["url"] = $"/v1/{resource}" });
    }

    public static IResult Retrieve(HttpContext context, StripeSimulator sim, string resource, string id)
    {
        if (Authenticate(context, sim, out var account) is { } refusal)
        {
            return refusal;
        }

        lock (account!.Gate)
        {
            return account.Lists.TryGetValue(resource, out var list) && list.FirstOrDefault(r => (string?)r["id"] == id) is { } record
                ? Json(record.DeepClone())
                : Error(StatusCodes.Status404NotFound, "invalid_request_error", "resource_missing", $"No such {resource.TrimEnd('s')}: '{id}'", "id");
        }
    }

    /// <summary><c>expand[]=data.{field}</c>: an id field of each listed object replaced by the object it names (Stripe's expansion).</summary>
    private static void Expand(StripeAccountData account, List<JsonNode> page, IEnumerable<string> paths)
    {
        foreach (var field in paths.Where(p => p.StartsWith("data.", StringComparison.Ordinal)).Select(p => p["data.".Length..]))
        {
            foreach (var item in page)
            {
                if ((string?)item[field] is { } id && account.Lists.Values.SelectMany(l => l).FirstOrDefault(r => (string?)r["id"] == id) is { } target)
                {
                    item[field] = target.DeepClone();
                }
            }
        }
    }

    /// <summary>Resolves the API key (and <c>Stripe-Account</c>) to an account, or answers Stripe's refusal; queued failures come first.</summary>
    internal static IResult? Authenticate(HttpContext context, StripeSimulator sim, out StripeAccountData? account)
    {
        account = null;
        var key = ApiKey(context);
        if (key is null)
        {
            return Error(StatusCodes.Status401Unauthorized, "invalid_request_error", null,
                "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').");
        }

        var onBehalfOf = context.Request.Headers["Stripe-Account"].ToString();
        string? username;
        if (Consentry.Sandbox.OAuth.Secrets.FixedTimeEquals(key, sim.Options.ClientSecret))
        {
            if (onBehalfOf.Length == 0)
            {
                account = sim.State.Account(StripeSimulator.PlatformUser);
                return null;
            }

            username = sim.State.Connected.TryGetValue(onBehalfOf, out var connection) ? connection.Username : null;
        }
        else if (StripeUsers.UserOfRestrictedKey(key) is { } owner)
        {
            if (sim.State.ExpiredKeys.ContainsKey(key))
            {
                return Error(StatusCodes.Status401Unauthorized, "invalid_request_error", "api_key_expired", $"Expired API Key provided: {Redacted(key)}");
            }

            username = onBehalfOf.Length == 0 || onBehalfOf == StripeUsers.AccountIdOf(owner) ? owner : null;
        }
        else if (sim.State.AccessTokens.TryGetValue(key, out var tokenAccount) && sim.State.Connected.TryGetValue(tokenAccount, out var tokenConnection))
        {
            username = onBehalfOf.Length == 0 || onBehalfOf == tokenAccount ? tokenConnection.Username : null;
        }
        else
        {
            return Error(StatusCodes.Status401Unauthorized, "invalid_request_error", null, $"Invalid API Key provided: {Redacted(key)}");
        }

        if (username is null)
        {
            // What Stripe answers once the account deauthorized the platform (or for an account it never connected).
            return Error(StatusCodes.Status403Forbidden, "invalid_request_error", "account_invalid",
                $"The provided key '{Redacted(key)}' does not have access to account '{onBehalfOf}' (or that account does not exist). Application access may have been revoked.");
        }

        account = sim.State.Account(username);
        if (account.Begin() is { } failure)
        {
            context.Response.Headers["Stripe-Should-Retry"] = "true";
            return failure.Status == StatusCodes.Status429TooManyRequests
                ? Error(failure.Status, "invalid_request_error", failure.Code ?? "rate_limit", failure.Code == "lock_timeout"
                    ? "This object cannot be accessed right now because another API request or Stripe process is currently accessing it. If you see this error intermittently, retry the request."
                    : "Request rate limit exceeded. You can learn more about rate limits here https://stripe.com/docs/rate-limits.")
                : Error(failure.Status, "api_error", null, "An unknown error occurred (simulated).");
        }

        return null;
    }

    internal static IResult Error(int status, string type, string? code, string message, string? param = null)
    {
        var error = new JsonObject { ["message"] = message, ["type"] = type };
        if (code is not null)
        {
            error["code"] = code;
            error["doc_url"] = $"https://stripe.com/docs/error-codes/{code.Replace('_', '-')}";
        }

        if (param is not null)
        {
            error["param"] = param;
        }

        return Results.Text(new JsonObject { ["error"] = error }.ToJsonString(), "application/json", statusCode: status);
    }

    private static IResult Json(JsonNode body) => Results.Text(body.ToJsonString(), "application/json");

    /// <summary>The key from <c>Authorization: Bearer</c> or HTTP Basic (the key as user name, as curl's <c>-u sk_…:</c> sends it).</summary>
    private static string? ApiKey(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return header["Bearer ".Length..].Trim() is { Length: > 0 } bearer ? bearer : null;
        }

        if (header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..].Trim()));
                return decoded.Split(':')[0] is { Length: > 0 } user ? user : null;
            }
            catch (FormatException)
            {
                return null;
            }
        }

        return null;
    }

    /// <summary>Stripe shows only a key's kind and last four characters.</summary>
    private static string Redacted(string key) =>
        key.Length <= 12 ? "****" : $"{key[..(key.IndexOf('_', 3) is var u and > 0 ? u + 1 : 3)]}****{key[^4..]}";
}

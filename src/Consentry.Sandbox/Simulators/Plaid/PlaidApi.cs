using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Consentry.Sandbox.Simulators.Plaid;

/// <summary>
/// Plaid's JSON API: every call a POST with <c>client_id</c> and <c>secret</c> in the body, every failure Plaid's error
/// object (<c>error_type</c>, <c>error_code</c>, <c>error_message</c>, <c>display_message</c>, <c>request_id</c>) with
/// the HTTP status Plaid gives that code (400 for item and input errors, 429 for rate limits, 500 for API errors).
/// </summary>
internal static class PlaidApi
{
    public delegate IResult Handler(PlaidSimulator sim, JsonObject body);

    public static readonly IReadOnlyList<(string Path, Handler Handler)> Endpoints =
    [
        ("/link/token/create", PlaidLinkTokens.Create),
        ("/link/token/get", PlaidLinkTokens.Get),
        ("/item/public_token/exchange", Exchange),
        ("/accounts/get", (s, b) => WithItem(s, b, item => Accounts(s, item, live: false))),
        ("/accounts/balance/get", (s, b) => WithItem(s, b, item => Accounts(s, item, live: true))),
        ("/transactions/sync", (s, b) => WithItem(s, b, item => PlaidTransactionsSync.Sync(s, item, b))),
        ("/item/get", (s, b) => WithItem(s, b, item => Ok(new JsonObject { ["item"] = Item(item), ["status"] = null }), dataCall: false)),
        ("/item/remove", (s, b) => WithItem(s, b, item =>
        {
            item.Removed = true;
            return Ok([]);
        }, dataCall: false)),
    ];

    public static async Task<IResult> HandleAsync(HttpContext context, PlaidSimulator sim, Handler handler)
    {
        var path = context.Request.Path.Value ?? "";
        var endpoint = Endpoints.First(e => path.EndsWith(e.Path, StringComparison.Ordinal)).Path;
        sim.BaseUrl = $"{context.Request.Scheme}://{context.Request.Host}{context.Request.PathBase}{path[..^endpoint.Length]}";
        sim.State.Calls.AddOrUpdate(endpoint, 1, (_, n) => n + 1);
        JsonObject? body;
        try
        {
            body = await JsonNode.ParseAsync(context.Request.Body) as JsonObject;
        }
        catch (JsonException)
        {
            body = null;
        }

        if (body is null)
        {
            return Error(400, "INVALID_REQUEST", "INVALID_BODY", "body could not be parsed as JSON", null);
        }

        if (!sim.IsClient(Text(body, "client_id"), Text(body, "secret")))
        {
            return Error(400, "INVALID_INPUT", "INVALID_API_KEYS", "invalid client_id or secret provided", null);
        }

        return handler(sim, body);
    }

    private static IResult Exchange(PlaidSimulator sim, JsonObject body)
    {
        if (Text(body, "public_token") is not { Length: > 0 } token)
        {
            return Error(400, "INVALID_REQUEST", "MISSING_FIELDS", "the following required fields are missing: public_token", null);
        }

        // Single use, as at Plaid: a public token is good for one exchange.
        if (!sim.State.PublicTokens.TryRemove(token, out var item))
        {
            return Error(400, "INVALID_INPUT", "INVALID_PUBLIC_TOKEN", "provided public token is in an invalid format. expected format: public-<environment>-<identifier>", null);
        }

        sim.State.ItemsByAccessToken[item.AccessToken] = item;
        return Ok(new JsonObject { ["access_token"] = item.AccessToken, ["item_id"] = item.ItemId });
    }

    /// <summary>Finds the item of the body's access token and answers its switched-on failures before the call itself.</summary>
    private static IResult WithItem(PlaidSimulator sim, JsonObject body, Func<PlaidItem, IResult> call, bool dataCall = true)
    {
        if (Text(body, "access_token") is not { Length: > 0 } token)
        {
            return Error(400, "INVALID_REQUEST", "MISSING_FIELDS", "the following required fields are missing: access_token", null);
        }

        if (!sim.State.ItemsByAccessToken.TryGetValue(token, out var item) || item.Removed)
        {
            return Error(400, "INVALID_INPUT", "INVALID_ACCESS_TOKEN", "provided access token is in an invalid format. expected format: access-<environment>-<identifier>", null);
        }

        lock (item.Gate)
        {
            if (item.Failures.TryDequeue(out var status))
            {
                return status == 429
                    ? Error(429, "RATE_LIMIT_EXCEEDED", "TRANSACTIONS_SYNC_LIMIT", "rate limit exceeded for attempts to access this item. please try again later", null)
                    : Error(status, "API_ERROR", "INTERNAL_SERVER_ERROR", "an unexpected error occurred", "Something went wrong. Please try again later.");
            }

            if (dataCall && ItemError(sim, item) is { } error)
            {
                return Error(400, error.Type, error.Code, error.Message, error.DisplayMessage, error.Reason);
            }

            if (dataCall && item.ConsentExpiresAfterCalls is { } left)
            {
                // This call is still answered; the consent runs out behind it.
                item.ConsentExpiresAfterCalls = left > 1 ? left - 1 : null;
                if (left <= 1)
                {
                    item.ConsentExpiration = sim.Now;
                }
            }

            return call(item);
        }
    }

    /// <summary>The item's error: one switched on, or ITEM_LOGIN_REQUIRED once its consent has expired.</summary>
    public static PlaidItemError? ItemError(PlaidSimulator sim, PlaidItem item) =>
        item.Error ?? (item.ConsentExpiration is { } end && end <= sim.Now
            ? new PlaidItemError("ITEM_ERROR", "ITEM_LOGIN_REQUIRED", "the login details of this item have changed (credentials, MFA, or required user action) and a user login is required to update this information. use Link's update mode to restore the item to a good state",
                "To keep using this account, reconnect it.", "OAUTH_CONSENT_EXPIRED")
            : null);

    private static IResult Accounts(PlaidSimulator sim, PlaidItem item, bool live) =>
        Ok(new JsonObject { ["accounts"] = AccountsArray(sim, item, live), ["item"] = Item(item) });

    public static JsonArray AccountsArray(PlaidSimulator sim, PlaidItem item, bool live) =>
        [.. item.Accounts.Select(a => (JsonNode)new JsonObject
        {
            ["account_id"] = a.Id,
            ["balances"] = new JsonObject
            {
                ["available"] = a.Available, ["current"] = a.Current, ["limit"] = a.Limit,
                ["iso_currency_code"] = item.Institution.Currency, ["unofficial_currency_code"] = null,
                ["last_updated_datetime"] = live ? sim.Now.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) : null,
            },
            ["mask"] = a.Mask, ["name"] = a.Name, ["official_name"] = a.OfficialName, ["type"] = a.Type, ["subtype"] = a.Subtype,
            ["persistent_account_id"] = $"{a.Id}-persistent",
        })];

    public static JsonObject Item(PlaidItem item) => new()
    {
        ["item_id"] = item.ItemId,
        ["institution_id"] = item.Institution.Id,
        ["institution_name"] = item.Institution.Name,
        ["webhook"] = null,
        ["auth_method"] = null,
        ["error"] = null,
        ["available_products"] = new JsonArray("balance", "identity"),
        ["billed_products"] = new JsonArray([.. item.Products.Select(p => (JsonNode)p)]),
        ["products"] = new JsonArray([.. item.Products.Select(p => (JsonNode)p)]),
        ["consented_products"] = new JsonArray([.. item.Products.Select(p => (JsonNode)p)]),
        ["consent_expiration_time"] = item.ConsentExpiration?.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        ["update_type"] = "background",
        ["created_at"] = item.Created.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
    };

    public static IResult Ok(JsonObject body)
    {
        body["request_id"] = RequestId();
        return Results.Content(body.ToJsonString(), "application/json", Encoding.UTF8, 200);
    }

    public static IResult Error(int status, string type, string code, string message, string? display, string? reason = null) =>
        Results.Content(new JsonObject
        {
            ["display_message"] = display,
            ["documentation_url"] = $"https://plaid.com/docs/errors/{type.ToLowerInvariant().Replace('_', '-')}/#{code.ToLowerInvariant()}",
            ["error_code"] = code,
            ["error_code_reason"] = reason,
            ["error_message"] = message,
            ["error_type"] = type,
            ["request_id"] = RequestId(),
            ["causes"] = new JsonArray(),
            ["status"] = status,
            ["suggested_action"] = null,
        }.ToJsonString(), "application/json", Encoding.UTF8, status);

    public static string? Text(JsonObject body, string name) => body[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static string RequestId() => PlaidState.Id(8)[..15];
}

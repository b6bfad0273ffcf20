using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using static Consentry.Sandbox.Simulators.Plaid.PlaidApi;

namespace Consentry.Sandbox.Simulators.Plaid;

/// <summary>
/// <c>/link/token/create</c> (Hosted Link only: <c>hosted_link.completion_redirect_uri</c>; update mode with
/// <c>access_token</c>) and <c>/link/token/get</c> (the session's <c>results.item_add_results</c> and the deprecated
/// <c>on_success</c>).
/// </summary>
internal static class PlaidLinkTokens
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(4);

    private static readonly string[] RequiredText = ["client_name", "language"];

    public static IResult Create(PlaidSimulator sim, JsonObject body)
    {
        var missing = RequiredText.Where(f => Text(body, f) is not { Length: > 0 }).ToList();
        var countries = body["country_codes"] as JsonArray;
        if (countries is not { Count: > 0 })
        {
            missing.Add("country_codes");
        }

        if (body["user"] is not JsonObject user || Text(user, "client_user_id") is not { Length: > 0 })
        {
            missing.Add("user.client_user_id");
        }

        if (missing.Count > 0)
        {
            return Error(400, "INVALID_REQUEST", "MISSING_FIELDS", $"the following required fields are missing: {string.Join(", ", missing)}", null);
        }

        PlaidItem? update = null;
        if (Text(body, "access_token") is { Length: > 0 } accessToken)
        {
            if (!sim.State.ItemsByAccessToken.TryGetValue(accessToken, out update) || update.Removed)
            {
                return Error(400, "INVALID_INPUT", "INVALID_ACCESS_TOKEN", "provided access token is in an invalid format. expected format: access-<environment>-<identifier>", null);
            }
        }

        var products = body["products"] is JsonArray p ? p.Select(x => x?.GetValue<string>() ?? "").Where(x => x.Length > 0).ToList() : [];
        if (update is null && products.Count == 0)
        {
            return Error(400, "INVALID_REQUEST", "MISSING_FIELDS", "the following required fields are missing: products", null);
        }

        if (body["hosted_link"] is not JsonObject hosted || Text(hosted, "completion_redirect_uri") is not { Length: > 0 } completion
            || !Uri.TryCreate(completion, UriKind.Absolute, out _))
        {
            // The simulator serves Hosted Link only (the drop-in Link SDK is a browser script Consentry does not use).
            return Error(400, "INVALID_REQUEST", "INVALID_FIELD", "hosted_link.completion_redirect_uri must be an absolute URI: this simulator serves Hosted Link only", null);
        }

        var days = body["transactions"] is JsonObject t && t["days_requested"] is JsonValue d && d.TryGetValue<int>(out var n) ? n : 90;
        if (days is < 1 or > 730)
        {
            return Error(400, "INVALID_REQUEST", "INVALID_FIELD", "transactions.days_requested must be between 1 and 730", null);
        }

        var now = sim.Now;
        var token = new PlaidLinkToken
        {
            Token = $"link-sandbox-{Guid.NewGuid()}", SessionId = PlaidState.Id(), CompletionRedirectUri = completion, ClientName = Text(body, "client_name")!,
            Language = Text(body, "language")!, CountryCodes = [.. countries!.Select(c => c?.GetValue<string>() ?? "")], Products = update?.Products ?? products,
            DaysRequested = days, UpdateItem = update, Created = now, Expiration = now + Lifetime,
        };
        sim.State.LinkTokens[token.Token] = token;
        sim.State.HostedSessions[token.SessionId] = token.Token;
        return Ok(new JsonObject
        {
            ["link_token"] = token.Token,
            ["expiration"] = Time(token.Expiration),
            ["hosted_link_url"] = HostedUrl(sim, token),
        });
    }

    public static IResult Get(PlaidSimulator sim, JsonObject body)
    {
        if (Text(body, "link_token") is not { Length: > 0 } linkToken || !sim.State.LinkTokens.TryGetValue(linkToken, out var token))
        {
            return Error(400, "INVALID_INPUT", "INVALID_LINK_TOKEN", "provided link token is in an invalid format. expected format: link-<environment>-<identifier>", null);
        }

        var sessions = new JsonArray();
        if (token.StartedAt is { } started)
        {
            var session = new JsonObject
            {
                ["link_session_id"] = $"lnk-{token.SessionId}",
                ["started_at"] = Time(started),
                ["finished_at"] = token.FinishedAt is { } f ? Time(f) : null,
            };
            if (token.PublicToken is { } publicToken && token.Result is { } item)
            {
                var institution = new JsonObject { ["name"] = item.Institution.Name, ["institution_id"] = item.Institution.Id };
                var accounts = new JsonArray([.. item.Accounts.Select(a => (JsonNode)new JsonObject
                {
                    ["id"] = a.Id, ["name"] = a.Name, ["mask"] = a.Mask, ["type"] = a.Type, ["subtype"] = a.Subtype, ["verification_status"] = null, ["class_type"] = null,
                })]);
                session["on_success"] = new JsonObject
                {
                    ["public_token"] = publicToken,
                    ["metadata"] = new JsonObject { ["institution"] = institution, ["accounts"] = accounts, ["link_session_id"] = $"lnk-{token.SessionId}" },
                };
                // Update mode repairs an item; only a new item is an "item add" result.
                session["results"] = new JsonObject
                {
                    ["item_add_results"] = token.UpdateItem is null
                        ? new JsonArray(new JsonObject { ["public_token"] = publicToken, ["accounts"] = accounts.DeepClone(), ["institution"] = institution.DeepClone() })
                        : new JsonArray(),
                    ["cra_item_add_results"] = new JsonArray(), ["cra_update_results"] = new JsonArray(), ["bank_income_results"] = new JsonArray(),
                    ["payroll_income_results"] = new JsonArray(), ["document_income_results"] = null,
                };
            }
            else if (token.ExitStatus is { } status)
            {
                session["exit"] = new JsonObject { ["error"] = null, ["metadata"] = new JsonObject { ["status"] = status, ["link_session_id"] = $"lnk-{token.SessionId}" } };
            }

            sessions.Add(session);
        }

        return Ok(new JsonObject
        {
            ["link_token"] = token.Token,
            ["created_at"] = Time(token.Created),
            ["expiration"] = Time(token.Expiration),
            ["link_sessions"] = sessions,
            ["metadata"] = new JsonObject
            {
                ["initial_products"] = new JsonArray([.. token.Products.Select(p => (JsonNode)p)]),
                ["webhook"] = null,
                ["country_codes"] = new JsonArray([.. token.CountryCodes.Select(c => (JsonNode)c)]),
                ["language"] = token.Language,
                ["redirect_uri"] = null,
                ["client_name"] = token.ClientName,
            },
        });
    }

    /// <summary>Hosted Link lives on Plaid's own host; here beside the API, at <c>hl/{session}</c>.</summary>
    private static string HostedUrl(PlaidSimulator sim, PlaidLinkToken token) => $"{sim.BaseUrl}/hl/{token.SessionId}";

    public static string Time(DateTime at) => at.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}

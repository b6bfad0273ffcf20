using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Consentry.Connectors.OAuth2;

namespace Consentry.Connectors.Platforms.Plaid;

/// <summary>
/// Hosted Link. Start: <c>/link/token/create</c> with <c>hosted_link.completion_redirect_uri</c> (Consentry's callback
/// with the flow's state), the products (the platform's scopes) and twelve months of transactions; for re-consent, the
/// connection's <c>access_token</c> instead (update mode: the same item, the same token). The customer is sent only to
/// a <c>hosted_link_url</c> on the configured Hosted Link host. Finish: <c>/link/token/get</c> says how the session
/// ended (<c>results.item_add_results[].public_token</c>, or the deprecated <c>on_success</c>), the public token is
/// exchanged, and <c>/item/get</c> gives the consent's expiry, which becomes the connection's <c>consentExpiresAt</c>.
/// </summary>
public sealed class PlaidHandOff(PlaidClient plaid) : IAuthorizationHandOff
{
    /// <summary>Twelve months of history, asked for when the item is created (it cannot be extended later).</summary>
    public const int DaysRequested = 365;

    private static readonly string[] Countries = ["US", "GB"];

    public async Task<HandOffStart> StartAsync(PlatformEndpoint platform, HandOffContext context, CancellationToken ct)
    {
        var body = new JsonObject
        {
            // Plaid shows the app's name to the customer and takes at most 30 characters.
            ["client_name"] = context.ClientName.Length > 30 ? context.ClientName[..30] : context.ClientName,
            ["language"] = "en",
            ["country_codes"] = new JsonArray([.. Countries.Select(c => (JsonNode)c)]),
            ["user"] = new JsonObject { ["client_user_id"] = context.CustomerId },
            ["hosted_link"] = new JsonObject { ["completion_redirect_uri"] = context.CompletionUrl },
        };
        if (context.Existing is { } grant)
        {
            body["access_token"] = grant.AccessToken;
        }
        else
        {
            body["products"] = new JsonArray([.. platform.Scopes.Select(s => (JsonNode)s)]);
            body["transactions"] = new JsonObject { ["days_requested"] = DaysRequested };
        }

        var answer = await plaid.PostAsync(platform, "/link/token/create", body, ct);
        if (!answer.Succeeded)
        {
            return new HandOffStart.Failed($"Plaid did not create a link token: {answer.Error!.Code} {answer.Error.Message}");
        }

        using var document = answer.Document!;
        var linkToken = PlaidMapping.Text(document.RootElement, "link_token");
        var url = PlaidMapping.Text(document.RootElement, "hosted_link_url");
        // The customer goes only to Plaid's own Hosted Link host (HostedLinkUrl), never to a URL an answer made up.
        if (linkToken is null || url is null || !Uri.TryCreate(url, UriKind.Absolute, out var target) || target.Scheme is not ("https" or "http")
            || !url.StartsWith(platform.AuthorizeUrl.TrimEnd('/') + "/", StringComparison.OrdinalIgnoreCase))
        {
            return new HandOffStart.Failed("Plaid's answer has no link_token or no hosted_link_url on the Hosted Link host.");
        }

        var kept = new JsonObject { ["link_token"] = linkToken };
        if (context.Existing is { } existing)
        {
            kept["access_token"] = existing.AccessToken;
            kept["item_id"] = existing.Account.GetValueOrDefault(PlaidConnector.ItemParameter);
        }

        return new HandOffStart.Started(url, kept.ToJsonString());
    }

    public async Task<TokenResult> FinishAsync(PlatformEndpoint platform, string kept, IReadOnlyDictionary<string, string> callback, CancellationToken ct)
    {
        var state = JsonNode.Parse(kept)!.AsObject();
        var linkToken = (string)state["link_token"]!;
        var session = await plaid.PostAsync(platform, "/link/token/get", new JsonObject { ["link_token"] = linkToken }, ct);
        if (!session.Succeeded)
        {
            return Failed(session.Error!);
        }

        string? publicToken;
        string? exit;
        using (var document = session.Document!)
        {
            (publicToken, exit) = Outcome(document.RootElement);
        }

        if (publicToken is null)
        {
            return new TokenResult(null, 403, "access_denied", exit is null ? "The customer did not finish Plaid Link." : $"The customer left Plaid Link ({exit}).");
        }

        string accessToken, itemId;
        if (state["access_token"] is JsonValue existing)
        {
            // Update mode repaired the item: its access token stays the one the connection has.
            (accessToken, itemId) = (existing.GetValue<string>(), (string?)state["item_id"] ?? "");
        }
        else
        {
            var exchange = await plaid.PostAsync(platform, "/item/public_token/exchange", new JsonObject { ["public_token"] = publicToken }, ct);
            if (!exchange.Succeeded)
            {
                return Failed(exchange.Error!);
            }

            using var document = exchange.Document!;
            accessToken = PlaidMapping.Text(document.RootElement, "access_token") ?? "";
            itemId = PlaidMapping.Text(document.RootElement, "item_id") ?? "";
        }

        var fields = new Dictionary<string, string> { ["item_id"] = itemId };
        DateTime? consentExpires = null;
        var item = await plaid.PostAsync(platform, "/item/get", new JsonObject { ["access_token"] = accessToken }, ct);
        if (item.Succeeded)
        {
            using var document = item.Document!;
            if (document.RootElement.TryGetProperty("item", out var i) && i.ValueKind == JsonValueKind.Object)
            {
                consentExpires = PlaidMapping.Text(i, "consent_expiration_time") is { } e && DateTime.TryParse(e, CultureInfo.InvariantCulture,
                    DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var at) ? at : null;
                if (PlaidMapping.Text(i, "institution_name") is { } institution)
                {
                    fields["institution_name"] = institution;
                }
            }
        }

        return accessToken.Length == 0
            ? new TokenResult(null, 500, "invalid_response", "Plaid's exchange gave no access_token.")
            : new TokenResult(new TokenSet(accessToken, null, null, null, consentExpires) { Fields = fields }, 200, null, null);
    }

    /// <summary>The session's public token (the item added, or the deprecated on_success), else how the customer left.</summary>
    private static (string? PublicToken, string? Exit) Outcome(JsonElement root)
    {
        string? exit = null;
        if (!root.TryGetProperty("link_sessions", out var sessions) || sessions.ValueKind != JsonValueKind.Array)
        {
            return (null, null);
        }

        foreach (var session in sessions.EnumerateArray())
        {
            if (session.TryGetProperty("results", out var results) && results.ValueKind == JsonValueKind.Object
                && results.TryGetProperty("item_add_results", out var added) && added.ValueKind == JsonValueKind.Array)
            {
                foreach (var result in added.EnumerateArray())
                {
                    if (PlaidMapping.Text(result, "public_token") is { Length: > 0 } token)
                    {
                        return (token, null);
                    }
                }
            }

            if (session.TryGetProperty("on_success", out var success) && success.ValueKind == JsonValueKind.Object
                && PlaidMapping.Text(success, "public_token") is { Length: > 0 } legacy)
            {
                return (legacy, null);
            }

            if (session.TryGetProperty("exit", out var left) && left.ValueKind == JsonValueKind.Object
                && left.TryGetProperty("metadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object)
            {
                exit = PlaidMapping.Text(metadata, "status") ?? "exited";
            }
        }

        return (null, exit);
    }

    private static TokenResult Failed(PlaidError error) =>
        new(null, error.Status == 0 ? null : error.Status, error.Code, error.Message);
}

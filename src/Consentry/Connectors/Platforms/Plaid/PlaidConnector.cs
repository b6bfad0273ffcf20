using System.Text.Json;
using System.Text.Json.Nodes;
using Consentry.Connectors.Data;
using Consentry.Connectors.OAuth2;
using Consentry.Core.Integrations;

namespace Consentry.Connectors.Platforms.Plaid;

/// <summary>
/// Plaid (<c>suuo</c>). Its authorization is Hosted Link (<see cref="PlaidHandOff"/>), not an OAuth redirect; one
/// connection is one Item, whose <c>item_id</c> is the account parameter and whose <c>access_token</c> never expires
/// (no refresh). Reads: <c>/accounts/get</c>, <c>/accounts/balance/get</c> and <c>/transactions/sync</c> (its cursor is
/// the read's cursor; <c>removed</c> become deletions). Item errors that need the customer (ITEM_LOGIN_REQUIRED,
/// PENDING_EXPIRATION, an expired consent) deauthorize the connection, which Link's update mode repairs on the same
/// connection; <c>/item/remove</c> when the connection is deleted.
/// </summary>
public sealed class PlaidConnector(PlaidClient plaid, PlaidHandOff handOff) : IPlatformConnector
{
    public const string ItemParameter = "itemId";

    /// <summary><c>/transactions/sync</c>'s largest <c>count</c>.</summary>
    public const int MaxPageSize = 500;

    /// <summary>Item error codes only the customer can resolve, in Link's update mode.</summary>
    private static readonly HashSet<string> NeedsCustomer = new(StringComparer.Ordinal)
    {
        "ITEM_LOGIN_REQUIRED", "PENDING_EXPIRATION", "PENDING_DISCONNECT", "ITEM_LOCKED", "ACCESS_NOT_GRANTED", "NO_ACCOUNTS",
        "USER_SETUP_REQUIRED", "INVALID_CREDENTIALS", "INSUFFICIENT_CREDENTIALS", "MFA_NOT_SUPPORTED", "INVALID_UPDATED_USERNAME",
    };

    public IReadOnlyCollection<string> PlatformKeys => ["suuo"];

    public IAuthorizationHandOff HandOff => handOff;

    public Task<AccountDiscovery> DiscoverAccountsAsync(PlatformEndpoint platform, TokenSet tokens, IReadOnlyDictionary<string, string> callback, CancellationToken ct) =>
        Task.FromResult<AccountDiscovery>(tokens.Fields.GetValueOrDefault("item_id") is { Length: > 0 } itemId
            ? new AccountDiscovery.Found([new PlatformAccount(itemId, tokens.Fields.GetValueOrDefault("institution_name") ?? "Plaid",
                new Dictionary<string, string> { [ItemParameter] = itemId })])
            : new AccountDiscovery.Failed("Plaid did not say which item was linked."));

    public async Task<bool> RevokeAsync(PlatformEndpoint platform, PlatformGrant grant, CancellationToken ct)
    {
        var answer = await plaid.PostAsync(platform, "/item/remove", new JsonObject { ["access_token"] = grant.AccessToken }, ct);
        answer.Document?.Dispose();
        return answer.Succeeded;
    }

    public IReadOnlyCollection<string> Readable(IntegrationDefinition integration) => ["banking-accounts", "banking-accountBalances", "banking-transactions"];

    public async Task<DataPage> ReadAsync(DataRequest request, CancellationToken ct)
    {
        var body = new JsonObject { ["access_token"] = request.AccessToken };
        var (path, transactions) = request.DataType switch
        {
            "banking-accounts" => ("/accounts/get", false),
            "banking-accountBalances" => ("/accounts/balance/get", false),
            "banking-transactions" => ("/transactions/sync", true),
            _ => (null, false),
        };
        if (path is null)
        {
            return new DataPage.Failed($"Plaid has no {request.DataType} here.", Transient: false);
        }

        if (transactions)
        {
            body["count"] = Math.Clamp(request.PageSize, 1, MaxPageSize);
            body["options"] = new JsonObject { ["include_personal_finance_category"] = true };
            if (request.Cursor is { Length: > 0 } cursor)
            {
                body["cursor"] = cursor;
            }
        }

        var answer = await plaid.PostAsync(request.Platform, path, body, ct);
        if (!answer.Succeeded)
        {
            return Problem(answer.Error!, answer.RetryAfter);
        }

        using var document = answer.Document!;
        var root = document.RootElement;
        return transactions ? Transactions(root, request.ReadAt) : Accounts(root, request.DataType, request.ReadAt);
    }

    /// <summary>Plaid's error object as the engine's outcome: the customer's attention, a wait, a retry, or a failure.</summary>
    public static DataPage Problem(PlaidError error, TimeSpan? retryAfter = null)
    {
        var detail = $"{error.Type} {error.Code}: {error.Message}";
        if (NeedsCustomer.Contains(error.Code))
        {
            // An expired consent (UK/EU Open Banking) and PENDING_EXPIRATION are the consent running out, not a refusal.
            return new DataPage.Deauthorized(detail, ConsentExpired: error.Reason == "OAUTH_CONSENT_EXPIRED" || error.Code == "PENDING_EXPIRATION");
        }

        return error switch
        {
            { Code: "INVALID_ACCESS_TOKEN" or "ITEM_NOT_FOUND" } => new DataPage.Deauthorized($"Plaid no longer knows this item: {detail}", ConsentExpired: false),
            { Type: "RATE_LIMIT_EXCEEDED" } or { Status: 429 } => new DataPage.RateLimited(retryAfter ?? TimeSpan.FromSeconds(2)),
            { Code: "PRODUCT_NOT_READY" } => new DataPage.RateLimited(TimeSpan.FromSeconds(10)),
            { Type: "API_ERROR" or "INSTITUTION_ERROR" } or { Status: >= 500 } => new DataPage.Failed(detail, Transient: true),
            _ => new DataPage.Failed(detail, Transient: false),
        };
    }

    private static DataPage.Ok Accounts(JsonElement root, string dataType, DateTime readAt)
    {
        JsonElement? item = root.TryGetProperty("item", out var i) && i.ValueKind == JsonValueKind.Object ? i : null;
        var records = new List<MappedRecord>();
        if (root.TryGetProperty("accounts", out var accounts) && accounts.ValueKind == JsonValueKind.Array)
        {
            foreach (var account in accounts.EnumerateArray())
            {
                if ((dataType == "banking-accounts" ? PlaidMapping.Account(account, item, readAt) : PlaidMapping.Balance(account, readAt)) is { } mapped)
                {
                    records.Add(mapped);
                }
            }
        }

        return new DataPage.Ok(records, records.Count, null);
    }

    private static DataPage Transactions(JsonElement root, DateTime readAt)
    {
        // Right after linking, Plaid may still be fetching the history: wait for it rather than store an empty read.
        if (PlaidMapping.Text(root, "transactions_update_status") == "NOT_READY")
        {
            return new DataPage.RateLimited(TimeSpan.FromSeconds(10));
        }

        var records = new List<MappedRecord>();
        foreach (var (name, map) in new (string, Func<JsonElement, MappedRecord?>)[]
                 {
                     ("added", t => PlaidMapping.Transaction(t, readAt)), ("modified", t => PlaidMapping.Transaction(t, readAt)), ("removed", PlaidMapping.Removed),
                 })
        {
            if (root.TryGetProperty(name, out var list) && list.ValueKind == JsonValueKind.Array)
            {
                records.AddRange(list.EnumerateArray().Select(map).OfType<MappedRecord>());
            }
        }

        var more = root.TryGetProperty("has_more", out var h) && h.ValueKind == JsonValueKind.True;
        // The last page's next_cursor is where the next (incremental) read resumes: only what changed since, removals included.
        var next = PlaidMapping.Text(root, "next_cursor");
        return more ? new DataPage.Ok(records, null, next) : new DataPage.Ok(records, null, null) { ResumeCursor = next };
    }
}

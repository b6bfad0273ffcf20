using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Consentry.Connectors.Data;
using Consentry.Connectors.OAuth2;
using Consentry.Core.Integrations;

namespace Consentry.Connectors.Platforms.TrueLayer;

/// <summary>
/// TrueLayer (<c>evqv</c>), Data API v1. The customer picks their bank in TrueLayer's provider chooser; after the token
/// exchange <c>GET /me</c> names the connection (<c>credentials_id</c>), the bank, the scopes granted and the end of the
/// 90-day consent (<c>consent_expires_at</c>, the connection's <c>consentExpiresAt</c>). Reads list <c>/accounts</c>
/// (and <c>/cards</c> when the <c>cards</c> scope was granted and the bank serves them) and then, per account, its
/// balance, 12 months of transactions (<c>from</c>/<c>to</c>) and the pending ones, one call per page. TrueLayer's 403
/// <c>access_denied</c> (consent expired or revoked) deauthorizes the connection; <c>sca_exceeded</c> (history older than
/// 90 days asked for outside the bank's window after authentication) is answered by reading the last 89 days.
/// Revocation is <c>DELETE /api/delete</c> with the access token.
/// </summary>
public sealed class TrueLayerConnector(PlatformHttp http, OAuthConnector oauth) : IPlatformConnector
{
    public const string CredentialsParameter = "credentialsId";
    public const string ProviderParameter = "providerId";
    public const string ScopesParameter = "scopes";
    public const string ConsentParameter = "consentExpiresAt";

    /// <summary>What a first read asks for: 12 months.</summary>
    public static readonly TimeSpan History = TimeSpan.FromDays(365);

    /// <summary>What the bank serves outside its SCA window (TrueLayer: up to 90 days).</summary>
    public static readonly TimeSpan RecentHistory = TimeSpan.FromDays(89);

    /// <summary>An incremental read goes back this far before the watermark: banks book late.</summary>
    public static readonly TimeSpan Overlap = TimeSpan.FromDays(7);

    private static readonly string[] DataTypes = ["banking-accounts", "banking-accountBalances", "banking-transactions"];

    public IReadOnlyCollection<string> PlatformKeys => ["evqv"];

    /// <summary>Banks serve 12 months (or 89 days) of history: an older transaction missing from a full read was not deleted.</summary>
    public bool FullReadFindsEverything => false;

    public async Task<AccountDiscovery> DiscoverAccountsAsync(
        PlatformEndpoint platform, TokenSet tokens, IReadOnlyDictionary<string, string> callback, CancellationToken ct)
    {
        if (platform.ApiBaseUrl is not { } api)
        {
            return new AccountDiscovery.Failed("TrueLayer's Data API (ApiBaseUrl) is not configured.");
        }

        var answer = await http.SendAsync(PlatformHttp.Bearer(HttpMethod.Get, $"{api.TrimEnd('/')}/me", tokens.AccessToken), ct);
        if (!answer.Succeeded)
        {
            return new AccountDiscovery.Failed($"TrueLayer did not describe the connection (/me): {answer.Problem!.Describe()}");
        }

        using var document = answer.Document!;
        var me = Results(document.RootElement).FirstOrDefault();
        if (me.ValueKind != JsonValueKind.Object || Text(me, "credentials_id") is not { Length: > 0 } credentials)
        {
            return new AccountDiscovery.Failed("TrueLayer's /me named no connection (credentials_id).");
        }

        var provider = me.TryGetProperty("provider", out var p) && p.ValueKind == JsonValueKind.Object ? p : default;
        var scopes = me.TryGetProperty("scopes", out var s) && s.ValueKind == JsonValueKind.Array
            ? string.Join(' ', s.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()))
            : tokens.Scope ?? "";
        DateTime? consentEnds = Text(me, "consent_expires_at") is { } text
            && DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var at) ? at : null;
        var parameters = new Dictionary<string, string>
        {
            [CredentialsParameter] = credentials,
            [ProviderParameter] = Text(provider, "provider_id") ?? "",
            [ScopesParameter] = scopes,
        };
        if (consentEnds is { } end)
        {
            parameters[ConsentParameter] = end.ToString("O", CultureInfo.InvariantCulture);
        }

        return new AccountDiscovery.Found([new PlatformAccount(credentials, Text(provider, "display_name") ?? "Bank", parameters)])
        {
            ConsentExpiresAt = consentEnds ?? tokens.ConsentExpiresAt,
        };
    }

    /// <summary>
    /// <c>DELETE /api/delete</c> with the access token ends the connection at TrueLayer. An access token that expired
    /// (they last an hour) is renewed once with the refresh token first.
    /// </summary>
    public async Task<bool> RevokeAsync(PlatformEndpoint platform, PlatformGrant grant, CancellationToken ct)
    {
        if (platform.RevokeUrl is not { } url)
        {
            return false;
        }

        if (await http.SendForStatusAsync(PlatformHttp.Bearer(HttpMethod.Delete, url, grant.AccessToken), ct))
        {
            return true;
        }

        return grant.RefreshToken is { } refresh && await oauth.RefreshAsync(platform, refresh, ct) is { Tokens: { } renewed }
            && await http.SendForStatusAsync(PlatformHttp.Bearer(HttpMethod.Delete, url, renewed.AccessToken), ct);
    }

    public IReadOnlyCollection<string> Readable(IntegrationDefinition integration) => DataTypes;

    public async Task<DataPage> ReadAsync(DataRequest request, CancellationToken ct)
    {
        if (!DataTypes.Contains(request.DataType) || request.Platform.ApiBaseUrl is not { } api)
        {
            return new DataPage.Failed($"TrueLayer has no {request.DataType} endpoint here.", Transient: false);
        }

        var reader = new Reader(http, api.TrimEnd('/'), request, ct);
        var sources = await reader.SourcesAsync();
        if (sources.Problem is { } problem)
        {
            return Classify(problem, request);
        }

        var list = sources.Sources!;
        return request.DataType switch
        {
            "banking-accounts" => await reader.AccountsAsync(list) is var (records, p) && p is null ? new DataPage.Ok(records!, records!.Count, null) : Classify(p!, request),
            "banking-accountBalances" => await reader.BalancesAsync(list) is var (records, p) && p is null ? new DataPage.Ok(records!, records!.Count, null) : Classify(p!, request),
            _ => await TransactionsAsync(reader, list, request),
        };
    }

    /// <summary>One page per account and kind: settled transactions of account 0, its pending ones, account 1…; the cursor is <c>{index}:{s|p}</c>.</summary>
    private static async Task<DataPage> TransactionsAsync(Reader reader, List<Source> sources, DataRequest request)
    {
        var (index, pending) = ParseCursor(request.Cursor);
        if (index >= sources.Count)
        {
            return new DataPage.Ok([], null, null);
        }

        var source = sources[index];
        var (records, problem) = pending ? await reader.PendingAsync(source) : await reader.SettledAsync(source);
        if (problem is not null)
        {
            return Classify(problem, request);
        }

        var next = pending ? (index + 1 < sources.Count ? $"{index + 1}:s" : null) : $"{index}:p";
        return new DataPage.Ok(records!, null, next);
    }

    private static (int Index, bool Pending) ParseCursor(string? cursor)
    {
        var parts = (cursor ?? "").Split(':');
        return parts.Length == 2 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var index)
            ? (index, parts[1] == "p")
            : (0, false);
    }

    /// <summary>
    /// TrueLayer's answers that say more than the status: 403 <c>access_denied</c> is the end of the consent (expired, or
    /// revoked by the customer at the bank): the connection is deauthorized, as expired when its known end has passed or
    /// the bank says so.
    /// </summary>
    private static DataPage Classify(DataPage problem, DataRequest request) => problem switch
    {
        DataPage.Forbidden { Error: "access_denied" } denied => new DataPage.Deauthorized(
            $"TrueLayer no longer gives access to this bank connection (access_denied): {denied.Detail}",
            ConsentExpired: ConsentEnded(request) || denied.Detail.Contains("expired", StringComparison.OrdinalIgnoreCase)),
        _ => problem,
    };

    private static bool ConsentEnded(DataRequest request) =>
        request.Account.GetValueOrDefault(ConsentParameter) is { } text
        && DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var end)
        && end <= request.ReadAt;


    /// <summary>The <c>results</c> of TrueLayer's <c>{"results": […], "status": "Succeeded"}</c> envelope.</summary>
    internal static IEnumerable<JsonElement> Results(JsonElement root) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty("results", out var results) && results.ValueKind == JsonValueKind.Array
            ? results.EnumerateArray()
            : [];


    internal static string? Text(JsonElement s, string name) =>
        s.ValueKind == JsonValueKind.Object && s.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}

/// <summary>An account (<c>/accounts</c>) or a card (<c>/cards</c>) to read, with its listing record.</summary>
internal sealed record Source(string Id, bool Card, JsonElement Resource)
{
    public string Path => Card ? "cards" : "accounts";
}

using Consentry.Connectors.Data;
using Consentry.Connectors.OAuth2;
using Consentry.Core.Integrations;

namespace Consentry.Connectors;

/// <summary>
/// What differs between platforms, behind one small interface: extra authorization parameters, which platform accounts
/// a grant covers (Xero's organisations, QuickBooks' realmId), releasing the ones not chosen, revocation, and reading a
/// data type page by page in Codat's shape. The OAuth 2.0 code exchange and refresh are the same everywhere
/// (<see cref="OAuthConnector"/>); a connector talks only to the hosts its <see cref="PlatformEndpoint"/> names, so it
/// works unchanged against the vendor and against a simulator.
/// </summary>
public interface IPlatformConnector
{
    /// <summary>The catalogue keys this connector serves (e.g. <c>gbol</c>).</summary>
    IReadOnlyCollection<string> PlatformKeys { get; }

    /// <summary>Query parameters the authorization URL needs beyond the catalogue's (e.g. a prompt or a locale).</summary>
    IReadOnlyDictionary<string, string> AuthorizeParameters(PlatformEndpoint platform) => NoParameters;

    /// <summary>
    /// Set when the platform's own authorization is not an OAuth 2.0 code redirect (Plaid's Hosted Link): Link sends the
    /// customer where it says and finishes with it instead of the code exchange.
    /// </summary>
    IAuthorizationHandOff? HandOff => null;

    /// <summary>
    /// After the token exchange: the platform accounts the grant covers, read from the callback's query (QuickBooks'
    /// <c>realmId</c>) or asked of the platform (Xero's <c>GET /connections</c>). One account links at once; several are
    /// offered to the customer; none fails the link with the reason given.
    /// </summary>
    Task<AccountDiscovery> DiscoverAccountsAsync(PlatformEndpoint platform, TokenSet tokens, IReadOnlyDictionary<string, string> callback, CancellationToken ct);

    /// <summary>
    /// Checks the platform's callback before the code is exchanged (Shopify signs it with an <c>hmac</c> and names the
    /// <c>shop</c>): null accepts it; a reason refuses it, and the link fails with that reason without exchanging anything.
    /// <paramref name="platform"/> carries the pre-step's values the flow started with (<see cref="PlatformEndpoint.Account"/>).
    /// </summary>
    string? RejectCallback(PlatformEndpoint platform, IReadOnlyDictionary<string, string> callback) => null;

    /// <summary>Gives back the accounts the customer did not choose (Xero: <c>DELETE /connections/{id}</c>); best effort.</summary>
    Task ReleaseAccountsAsync(PlatformEndpoint platform, string accessToken, IReadOnlyList<PlatformAccount> notChosen, CancellationToken ct) => Task.CompletedTask;

    /// <summary>Revokes the grant at the platform before the connection is deleted; true when the platform confirmed it.</summary>
    Task<bool> RevokeAsync(PlatformEndpoint platform, PlatformGrant grant, CancellationToken ct);

    /// <summary>
    /// True when a full read (no <see cref="DataRequest.ModifiedSince"/>) returns every record the platform holds, so
    /// that what it did not return was deleted there and is marked so. False for platforms that serve only recent
    /// history (TrueLayer's 12 months, or 89 days after strong customer authentication expired).
    /// </summary>
    bool FullReadFindsEverything => true;

    /// <summary>The data types this connector reads for <paramref name="integration"/> (Codat's names: <c>invoices</c>, <c>suppliers</c>…).</summary>
    IReadOnlyCollection<string> Readable(IntegrationDefinition integration);

    /// <summary>
    /// Reads one page of <see cref="DataRequest.DataType"/>, mapped to Codat's shape. Starts at <see cref="DataRequest.Cursor"/>
    /// (null: the first page) and answers the cursor of the next page (null: that was the last). A read with
    /// <see cref="DataRequest.ModifiedSince"/> returns only what changed since then, deletions included (as records whose
    /// <c>metadata.isDeleted</c> is true). Rate limits come back as <see cref="DataPage.RateLimited"/>; the caller waits.
    /// </summary>
    Task<DataPage> ReadAsync(DataRequest request, CancellationToken ct);

    /// <summary>
    /// The cursor <paramref name="pages"/> pages after <paramref name="cursor"/>, when the platform's cursors are page
    /// numbers, so the sync engine can ask for later pages before this one answers (several pages in flight); null when
    /// a cursor is known only from the previous page's answer (the default).
    /// </summary>
    string? CursorAhead(string cursor, int pages) => null;

    /// <summary>
    /// Reads one page of a platform endpoint the client named (a custom data type's <paramref name="dataSource"/>, e.g.
    /// Xero's <c>/api.xro/2.0/Accounts</c> or QuickBooks' <c>/query?query=select * from Account</c>), unmapped: each
    /// record's <see cref="MappedRecord.Json"/> is the platform's own JSON. Paging works as in <see cref="ReadAsync"/>.
    /// A connector that cannot read arbitrary endpoints answers a permanent failure.
    /// </summary>
    Task<DataPage> ReadSourceAsync(DataRequest request, string dataSource, CancellationToken ct) =>
        Task.FromResult<DataPage>(new DataPage.Failed($"{request.Platform.Integration.Name} does not serve custom data types.", Transient: false));

    static readonly IReadOnlyDictionary<string, string> NoParameters = new Dictionary<string, string>();
}

/// <summary>
/// One account at a platform that a grant may cover (a Xero organisation, a QuickBooks company, a Shopify shop).
/// <see cref="Parameters"/> are stored (encrypted with the tokens) with the connection and given back on every read,
/// refresh and revocation (e.g. <c>{"xeroTenantId": "…"}</c>, <c>{"realmId": "…"}</c>).
/// </summary>
public sealed record PlatformAccount(string Id, string Name, IReadOnlyDictionary<string, string> Parameters);

/// <summary>What the token exchange gave access to.</summary>
public abstract record AccountDiscovery
{
    /// <summary>The accounts the grant covers (at least one).</summary>
    public sealed record Found(IReadOnlyList<PlatformAccount> Accounts) : AccountDiscovery
    {
        /// <summary>When the customer's consent at the platform ends, when the platform says so outside the token answer (TrueLayer's <c>/me</c>).</summary>
        public DateTime? ConsentExpiresAt { get; init; }
    }

    /// <summary>None usable: the link fails with <see cref="Reason"/> (shown to the customer and in <c>dataConnectionErrors</c>).</summary>
    public sealed record Failed(string Reason) : AccountDiscovery;
}

/// <summary>A connection's grant at the platform: its tokens and the chosen account's parameters.</summary>
public sealed record PlatformGrant(string AccessToken, string? RefreshToken, IReadOnlyDictionary<string, string> Account);

/// <summary>One page to read: which data type, with which token, for which account, from where.</summary>
public sealed record DataRequest(
    PlatformEndpoint Platform,
    string DataType,
    string AccessToken,
    IReadOnlyDictionary<string, string> Account,
    string? Cursor,
    int PageSize,
    DateTime? ModifiedSince,
    DateTime ReadAt)
{
    /// <summary>
    /// The sync settings' lower date bound: records last modified before it are not wanted. A connector whose platform
    /// filters by date applies it there; the reader drops older records after mapping either way.
    /// </summary>
    public DateTime? From { get; init; }

    /// <summary>
    /// Keep each platform record as it came in <see cref="Data.MappedRecord.Source"/>: only supplemental data reads it,
    /// so a connector copies it (a string of about 1–2 kB per record) only when the supplemental reader asks.
    /// </summary>
    public bool KeepSource { get; init; }
}

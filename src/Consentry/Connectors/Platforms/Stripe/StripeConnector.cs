using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Consentry.Connectors.Data;
using Consentry.Connectors.OAuth2;
using Consentry.Core.Integrations;
using Stripe;

namespace Consentry.Connectors.Platforms.Stripe;

/// <summary>
/// Stripe (<c>exgd</c>), read with the official Stripe.net SDK pointed at the configured API base (the simulator's or
/// <c>https://api.stripe.com</c>) over the host's HTTP client. Connect OAuth's token answer names the connected account
/// (<c>stripe_user_id</c>); reads then use the platform's secret key (the client secret) with the <c>Stripe-Account</c>
/// header, as Stripe asks of Connect platforms. A connection saved with a restricted key instead (account parameters
/// without <c>stripe_user_id</c>) reads with that key itself. Lists are cursor-paged (<c>starting_after</c> the page's
/// last object, while <c>has_more</c>); incremental reads ask for <c>created[gte]</c>. Stripe sends no Retry-After on a
/// 429 (<c>rate_limit</c>, <c>lock_timeout</c>), so the wait doubles from one second per account while it lasts.
/// </summary>
public sealed class StripeConnector(IHttpClientFactory clients, PlatformHttp http) : IPlatformConnector
{
    public const string PlatformKey = "exgd";

    /// <summary>The account parameter Connect links carry (the connected account's id).</summary>
    public const string StripeUserId = "stripe_user_id";

    /// <summary>Stripe: a list answers at most 100 objects.</summary>
    public const int MaxLimit = 100;

    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, int> _throttled = new(StringComparer.Ordinal);

    public IReadOnlyCollection<string> PlatformKeys => [PlatformKey];

    public async Task<AccountDiscovery> DiscoverAccountsAsync(
        PlatformEndpoint platform, TokenSet tokens, IReadOnlyDictionary<string, string> callback, CancellationToken ct)
    {
        if (!tokens.Fields.TryGetValue(StripeUserId, out var accountId) || !accountId.StartsWith("acct_", StringComparison.Ordinal))
        {
            return new AccountDiscovery.Failed("Stripe did not say which account was connected (no stripe_user_id in its token answer).");
        }

        // The account's name for the connection; the link does not fail over it (the account id is what matters).
        var name = accountId;
        if (platform.ApiBaseUrl is not null)
        {
            try
            {
                var account = await SelfAsync(Client(platform, platform.ClientSecret), new RequestOptions { StripeAccount = accountId }, ct);
                name = StripeMapping.DisplayName(account);
            }
            catch (Exception e) when (e is StripeException or HttpRequestException)
            {
                // Keep the id as the name.
            }
        }

        return new AccountDiscovery.Found([new PlatformAccount(accountId, name, new Dictionary<string, string> { [StripeUserId] = accountId })]);
    }

    /// <summary>
    /// Connect: <c>POST /oauth/deauthorize</c> with the platform's client id and the account (not RFC 7009). A restricted
    /// key belongs to the account owner, who alone can roll it: nothing to revoke here.
    /// </summary>
    public async Task<bool> RevokeAsync(PlatformEndpoint platform, PlatformGrant grant, CancellationToken ct)
    {
        if (platform.RevokeUrl is null || !grant.Account.TryGetValue(StripeUserId, out var accountId))
        {
            return false;
        }

        var request = new HttpRequestMessage(HttpMethod.Post, platform.RevokeUrl)
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["client_id"] = platform.ClientId, [StripeUserId] = accountId }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{platform.ClientSecret}:")));
        return await http.SendForStatusAsync(request, ct);
    }

    public IReadOnlyCollection<string> Readable(IntegrationDefinition integration) => StripeMapping.DataTypes;

    public async Task<DataPage> ReadAsync(DataRequest request, CancellationToken ct)
    {
        if (!StripeMapping.DataTypes.Contains(request.DataType) || request.Platform.ApiBaseUrl is null)
        {
            return new DataPage.Failed($"Stripe has no {request.DataType}.", Transient: false);
        }

        // Connect: the platform's key on behalf of the account; a restricted key: the key alone.
        var connected = request.Account.TryGetValue(StripeUserId, out var accountId);
        var client = Client(request.Platform, connected ? request.Platform.ClientSecret : request.AccessToken);
        var options = new RequestOptions { StripeAccount = connected ? accountId : null };
        var throttleKey = accountId ?? request.Account.GetValueOrDefault("accountId") ?? "restricted";
        try
        {
            var page = await ReadPageAsync(client, options, request, ct);
            _throttled.TryRemove(throttleKey, out _);
            return page;
        }
        catch (StripeException e)
        {
            return Problem(e, connected, throttleKey);
        }
        catch (HttpRequestException e)
        {
            return new DataPage.Failed($"Stripe could not be reached: {e.Message}", Transient: true);
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            return new DataPage.Failed("Stripe did not answer in time.", Transient: true);
        }
    }

    private static async Task<DataPage> ReadPageAsync(StripeClient client, RequestOptions options, DataRequest request, CancellationToken ct)
    {
        var limit = Math.Clamp(request.PageSize, 1, MaxLimit);
        var after = string.IsNullOrEmpty(request.Cursor) ? null : request.Cursor;
        DateRangeOptions? created = request.ModifiedSince is { } since
            ? new DateRangeOptions { GreaterThanOrEqual = DateTime.SpecifyKind(since, DateTimeKind.Utc).AddTicks(-(since.Ticks % TimeSpan.TicksPerSecond)) }
            : null;
        var readAt = request.ReadAt;
        switch (request.DataType)
        {
            case "commerce-companyInfo":
                return new DataPage.Ok([StripeMapping.CompanyInfo(await SelfAsync(client, options, ct), readAt)], 1, null);
            case "commerce-customers":
                return Page(await new CustomerService(client).ListAsync(new CustomerListOptions { Limit = limit, StartingAfter = after, Created = created }, options, ct),
                    c => [StripeMapping.Customer(c, readAt)]);
            case "commerce-products":
                return Page(await new ProductService(client).ListAsync(new ProductListOptions { Limit = limit, StartingAfter = after, Created = created, Expand = ["data.default_price"] }, options, ct),
                    p => [StripeMapping.Product(p, readAt)]);
            case "commerce-payments":
                return Page(await new ChargeService(client).ListAsync(new ChargeListOptions { Limit = limit, StartingAfter = after, Created = created }, options, ct),
                    c => StripeMapping.Payments(c, readAt));
            case "commerce-transactions":
                return Page(await new BalanceTransactionService(client).ListAsync(new BalanceTransactionListOptions { Limit = limit, StartingAfter = after, Created = created }, options, ct),
                    t => StripeMapping.Transactions(t, readAt));
            default:
                return Page(await new DisputeService(client).ListAsync(new DisputeListOptions { Limit = limit, StartingAfter = after, Created = created }, options, ct),
                    d => [StripeMapping.Dispute(d, readAt)]);
        }
    }

    /// <summary>A list page mapped; the next cursor is the page's last object while Stripe says there is more.</summary>
    private static DataPage.Ok Page<T>(StripeList<T> list, Func<T, IEnumerable<MappedRecord>> map)
        where T : IHasId =>
        new([.. list.Data.SelectMany(map)], null, list.HasMore && list.Data.Count > 0 ? list.Data[^1].Id : null);

    /// <summary><c>GET /v1/account</c>: the account the key (and <c>Stripe-Account</c>) acts on.</summary>
    private static Task<Account> SelfAsync(StripeClient client, RequestOptions options, CancellationToken ct) =>
        client.RequestAsync<Account>(HttpMethod.Get, "/v1/account", null, options, ct);

    private DataPage Problem(StripeException e, bool connected, string throttleKey)
    {
        var code = e.StripeError?.Code;
        var message = e.StripeError?.Message ?? e.Message;
        switch ((int)e.HttpStatusCode)
        {
            case 429:
                var times = _throttled.AddOrUpdate(throttleKey, 1, (_, n) => Math.Min(n + 1, 6));
                return new DataPage.RateLimited(TimeSpan.FromSeconds(Math.Min(Math.Pow(2, times - 1), MaxBackoff.TotalSeconds)));
            case 403 when code == "account_invalid":
                return new DataPage.Deauthorized("The Stripe account no longer gives the platform access (deauthorized).", ConsentExpired: false);
            case 401 when !connected:
                return new DataPage.Deauthorized(code == "api_key_expired"
                    ? "The restricted key was rolled or expired at Stripe." : "Stripe no longer accepts the restricted key.", ConsentExpired: false);
            case 401:
                return new DataPage.Failed("Stripe refused the platform's secret key (Consentry__Platforms__exgd__ClientSecret).", Transient: false);
            case 403:
                return new DataPage.Forbidden(code ?? "forbidden", message);
            case 0 or 408 or 409 or >= 500:
                return new DataPage.Failed($"Stripe answered {(int)e.HttpStatusCode}: {message}", Transient: true);
            default:
                return new DataPage.Failed($"Stripe answered {(int)e.HttpStatusCode}: {message}", Transient: false);
        }
    }

    /// <summary>
    /// A Stripe.net client at the configured API base, over the host's <c>platform-data</c> HTTP client. The SDK's own
    /// retries are off: the sync engine waits out limits and retries failures, renewing its lease.
    /// </summary>
    private StripeClient Client(PlatformEndpoint platform, string apiKey) => new(new StripeClientOptions
    {
        ApiKey = apiKey,
        ApiBase = platform.ApiBaseUrl!.TrimEnd('/'),
        HttpClient = new SystemNetHttpClient(clients.CreateClient(PlatformHttp.ClientName), maxNetworkRetries: 0, appInfo: null, enableTelemetry: false),
    });
}

using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Consentry.Connectors.Data;
using Consentry.Connectors.OAuth2;
using Consentry.Core.Integrations;
using Microsoft.AspNetCore.WebUtilities;

namespace Consentry.Connectors.Platforms.Xero;

/// <summary>
/// Xero (<c>gbol</c>). After the token exchange the Identity API (<c>GET /connections</c>) says which organisations the
/// customer connected; each is an account whose <c>xeroTenantId</c> goes in the <c>xero-tenant-id</c> header of every
/// call, and the ones not chosen are released (<c>DELETE /connections/{id}</c>). Reads page with <c>page</c> and
/// <c>pageSize</c>, ask only for what changed with <c>If-Modified-Since</c>, include archived contacts, and keep to
/// Xero's limits per organisation: at most five calls in flight (<see cref="XeroOrganisationGate"/>), and after a 429 every
/// read of that organisation waits out its Retry-After. A 403 "AuthenticationUnsuccessful" means the customer removed
/// the app in Xero: the connection is deauthorized.
/// </summary>
public sealed class XeroConnector(PlatformHttp http, OAuthConnector oauth, XeroOrganisationGate gate) : IPlatformConnector
{
    public const string AccountParameter = "xeroTenantId";
    public const string ConnectionParameter = "xeroConnectionId";

    /// <summary>Xero's largest page.</summary>
    public const int MaxPageSize = 1000;

    private static readonly Dictionary<string, XeroResource> Resources = new(StringComparer.Ordinal)
    {
        ["company"] = new("Organisation", "Organisations", null, Paged: false, XeroMapping.Company),
        ["chartOfAccounts"] = new("Accounts", "Accounts", null, Paged: false, XeroMapping.Account),
        ["customers"] = new("Contacts", "Contacts", "IsCustomer==true", Paged: true, (e, at) => XeroMapping.Contact(e, at, asSupplier: false)),
        ["suppliers"] = new("Contacts", "Contacts", "IsSupplier==true", Paged: true, (e, at) => XeroMapping.Contact(e, at, asSupplier: true)),
        ["invoices"] = new("Invoices", "Invoices", "Type==\"ACCREC\"", Paged: true, XeroMapping.Invoice),
        ["bills"] = new("Invoices", "Invoices", "Type==\"ACCPAY\"", Paged: true, XeroMapping.Invoice),
        ["payments"] = new("Payments", "Payments", "PaymentType==\"ACCRECPAYMENT\"", Paged: true, XeroMapping.Payment),
    };

    public IReadOnlyCollection<string> PlatformKeys => ["gbol"];

    public async Task<AccountDiscovery> DiscoverAccountsAsync(
        PlatformEndpoint platform, TokenSet tokens, IReadOnlyDictionary<string, string> callback, CancellationToken ct)
    {
        if (platform.IdentityUrl is not { } identity)
        {
            return new AccountDiscovery.Failed("Xero's Identity API (IdentityUrl) is not configured.");
        }

        var answer = await http.SendAsync(PlatformHttp.Bearer(HttpMethod.Get, identity, tokens.AccessToken), ct);
        if (!answer.Succeeded)
        {
            return new AccountDiscovery.Failed($"Xero did not list the connected organisations: {answer.Problem!.Describe()}");
        }

        using var document = answer.Document!;
        var accounts = new List<PlatformAccount>();
        if (document.RootElement.ValueKind == JsonValueKind.Array)
        {
            foreach (var connection in document.RootElement.EnumerateArray())
            {
                if (Text(connection, "tenantType") == "ORGANISATION" && Text(connection, "tenantId") is { Length: > 0 } tenantId && Text(connection, "id") is { Length: > 0 } id)
                {
                    accounts.Add(new PlatformAccount(tenantId, Text(connection, "tenantName") ?? "Xero organisation",
                        new Dictionary<string, string> { [AccountParameter] = tenantId, [ConnectionParameter] = id }));
                }
            }
        }

        return accounts.Count == 0
            ? new AccountDiscovery.Failed("No Xero organisation was connected: choose an organisation on Xero's consent page.")
            : new AccountDiscovery.Found(accounts);
    }

    public async Task ReleaseAccountsAsync(PlatformEndpoint platform, string accessToken, IReadOnlyList<PlatformAccount> notChosen, CancellationToken ct)
    {
        if (platform.IdentityUrl is not { } identity)
        {
            return;
        }

        foreach (var account in notChosen)
        {
            if (account.Parameters.GetValueOrDefault(ConnectionParameter) is { Length: > 0 } id)
            {
                await http.SendForStatusAsync(PlatformHttp.Bearer(HttpMethod.Delete, $"{identity.TrimEnd('/')}/{Uri.EscapeDataString(id)}", accessToken), ct);
            }
        }
    }

    /// <summary>Xero revokes refresh tokens only (client_secret_basic, <c>token=</c>); that also removes the grant's connections.</summary>
    public Task<bool> RevokeAsync(PlatformEndpoint platform, PlatformGrant grant, CancellationToken ct) =>
        grant.RefreshToken is { } refresh ? oauth.RevokeAsync(platform, refresh, "refresh_token", ct) : Task.FromResult(false);

    public IReadOnlyCollection<string> Readable(IntegrationDefinition integration) => Resources.Keys;

    public async Task<DataPage> ReadAsync(DataRequest request, CancellationToken ct)
    {
        if (!Resources.TryGetValue(request.DataType, out var resource) || request.Platform.ApiBaseUrl is not { } baseUrl)
        {
            return new DataPage.Failed($"Xero has no {request.DataType} endpoint here.", Transient: false);
        }

        if (request.Account.GetValueOrDefault(AccountParameter) is not { Length: > 0 } tenantId)
        {
            return new DataPage.Failed("The connection has no Xero organisation (xeroTenantId).", Transient: false);
        }

        var page = int.TryParse(request.Cursor, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 1;
        var pageSize = Math.Clamp(request.PageSize, 1, MaxPageSize);
        var query = new Dictionary<string, string?>();
        if (resource.Where is { } where)
        {
            query["where"] = where;
        }

        if (resource.Paged)
        {
            query["page"] = page.ToString(CultureInfo.InvariantCulture);
            query["pageSize"] = pageSize.ToString(CultureInfo.InvariantCulture);
        }

        if (resource.Path == "Contacts")
        {
            query["includeArchived"] = "true";
        }

        var url = QueryHelpers.AddQueryString($"{baseUrl.TrimEnd('/')}/{resource.Path}", query);
        HttpRequestMessage Message()
        {
            var message = PlatformHttp.Bearer(HttpMethod.Get, url, request.AccessToken);
            message.Headers.TryAddWithoutValidation("xero-tenant-id", tenantId);
            if (request.ModifiedSince is { } since)
            {
                // Xero takes an ISO 8601 timestamp (its document's example); the HTTP-date form would drop the milliseconds.
                message.Headers.TryAddWithoutValidation("If-Modified-Since",
                    DateTime.SpecifyKind(since, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
            }

            return message;
        }

        var answer = await gate.SendAsync(tenantId, () => http.SendAsync(Message(), ct), ct);
        if (!answer.Succeeded)
        {
            return answer.Problem switch
            {
                DataPage.Forbidden { Error: "AuthenticationUnsuccessful" } gone =>
                    new DataPage.Deauthorized($"Xero no longer gives access to this organisation (the app was disconnected): {gone.Error}.", ConsentExpired: false),
                var problem => problem!,
            };
        }

        using var document = answer.Document!;
        if (!document.RootElement.TryGetProperty(resource.ArrayProperty, out var items) || items.ValueKind != JsonValueKind.Array)
        {
            return new DataPage.Failed($"Xero's answer has no {resource.ArrayProperty} array.", Transient: false);
        }

        var records = new List<MappedRecord>(items.GetArrayLength());
        foreach (var item in items.EnumerateArray())
        {
            if (resource.Map(item, request.ReadAt) is { } mapped)
            {
                records.Add(request.KeepSource ? mapped with { Source = item.GetRawText() } : mapped);
            }
        }

        if (!resource.Paged)
        {
            return new DataPage.Ok(records, records.Count, null);
        }

        int? total = null, pageCount = null;
        if (document.RootElement.TryGetProperty("pagination", out var pagination) && pagination.ValueKind == JsonValueKind.Object)
        {
            total = pagination.TryGetProperty("itemCount", out var c) && c.TryGetInt32(out var count) ? count : null;
            pageCount = pagination.TryGetProperty("pageCount", out var p) && p.TryGetInt32(out var pages) ? pages : null;
        }

        var last = pageCount is { } all ? page >= all : items.GetArrayLength() < pageSize;
        return new DataPage.Ok(records, total, last ? null : (page + 1).ToString(CultureInfo.InvariantCulture));
    }
    /// <summary>
    /// A custom data type's endpoint of the Accounting API (<c>/api.xro/2.0/Accounts</c>, or relative: <c>/Accounts</c>):
    /// asked with <c>page</c> and <c>pageSize</c> (Xero ignores them where it does not page), read from the array named
    /// after the resource, through the same per-organisation gate as every other read.
    /// </summary>
    public async Task<DataPage> ReadSourceAsync(DataRequest request, string dataSource, CancellationToken ct)
    {
        if (request.Platform.ApiBaseUrl is not { } baseUrl || request.Account.GetValueOrDefault(AccountParameter) is not { Length: > 0 } tenantId)
        {
            return new DataPage.Failed("The connection has no Xero organisation (xeroTenantId).", Transient: false);
        }

        var relative = dataSource.Trim().TrimStart('/');
        if (relative.StartsWith("api.xro/2.0/", StringComparison.OrdinalIgnoreCase))
        {
            relative = relative["api.xro/2.0/".Length..];
        }

        var resourceName = relative.Split('?', '/')[0];
        var page = int.TryParse(request.Cursor, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 1;
        var url = QueryHelpers.AddQueryString($"{baseUrl.TrimEnd('/')}/{relative}", new Dictionary<string, string?>
        {
            ["page"] = page.ToString(CultureInfo.InvariantCulture),
            ["pageSize"] = Math.Clamp(request.PageSize, 1, MaxPageSize).ToString(CultureInfo.InvariantCulture),
        });
        var answer = await gate.SendAsync(tenantId, () =>
        {
            var message = PlatformHttp.Bearer(HttpMethod.Get, url, request.AccessToken);
            message.Headers.TryAddWithoutValidation("xero-tenant-id", tenantId);
            return http.SendAsync(message, ct);
        }, ct);
        if (!answer.Succeeded)
        {
            return answer.Problem!;
        }

        using var document = answer.Document!;
        var root = document.RootElement;
        var items = root.ValueKind == JsonValueKind.Object && root.TryGetProperty(resourceName, out var named) && named.ValueKind == JsonValueKind.Array
            ? named
            : root.ValueKind == JsonValueKind.Object ? root.EnumerateObject().Select(p => p.Value).FirstOrDefault(v => v.ValueKind == JsonValueKind.Array) : default;
        if (items.ValueKind != JsonValueKind.Array)
        {
            return new DataPage.Failed($"Xero's answer to {dataSource} has no array of records.", Transient: false);
        }

        var records = items.EnumerateArray().Select(item => new MappedRecord("", null, item.GetRawText())).ToList();
        var pageCount = root.TryGetProperty("pagination", out var pagination) && pagination.ValueKind == JsonValueKind.Object
            && pagination.TryGetProperty("pageCount", out var p) && p.TryGetInt32(out var pages) ? pages : (int?)null;
        // Without Xero's pagination object the endpoint is not paged: its one answer has everything.
        return new DataPage.Ok(records, null, pageCount is { } all && page < all ? (page + 1).ToString(CultureInfo.InvariantCulture) : null);
    }

    private static string? Text(JsonElement s, string name) =>
        s.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    /// <summary>One Codat data type at Xero: its path, the array in the answer, a <c>where</c> filter, whether it pages, and its mapping.</summary>
    private sealed record XeroResource(string Path, string ArrayProperty, string? Where, bool Paged, Func<JsonElement, DateTime, MappedRecord?> Map);
}

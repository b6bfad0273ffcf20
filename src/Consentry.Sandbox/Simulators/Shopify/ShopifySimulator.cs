using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Consentry.Sandbox.OAuth;
using Consentry.Sandbox.Platforms;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Consentry.Sandbox.Simulators.Shopify;

/// <summary>An install request between Shopify's pages: the app's return address and state, and who signed in.</summary>
internal sealed record PendingInstall(string Shop, string RedirectUri, string? State, string Scope, DateTimeOffset Expires)
{
    public string? Username { get; set; }
}

/// <summary>
/// A stand-in for Shopify, faithful to its published API: the authorization code grant at
/// <c>https://{shop}.myshopify.com/admin/oauth/authorize</c> (a signed redirect with <c>code</c>, <c>hmac</c>, <c>host</c>,
/// <c>shop</c>, <c>state</c> and <c>timestamp</c>), offline access tokens (no refresh, no expiry) from
/// <c>/admin/oauth/access_token</c>, and the GraphQL Admin API with Relay cursor paging, search queries and cost-based
/// throttling; uninstalling the app (<c>appUninstall</c>) revokes its token. Per-shop hosts cannot exist on one address, so
/// each shop lives under <c>{base}/shops/{shop}/admin/…</c>; test controls are under <c>{base}/control</c>.
/// </summary>
public sealed partial class ShopifySimulator(TimeProvider time) : IPlatformSimulator
{
    public const string SimulatorClientId = "consentry-shopify-simulator";
    public const string SimulatorClientSecret = "shopify-simulator-secret";
    public const string ApiVersion = "2025-07";

    internal static readonly SandboxPlatform Brand = new("fztf", "Shopify (simulated)", "Commerce", "#95BF47", "SH", [], [], ConsentExpires: false);

    private readonly ConcurrentDictionary<string, ShopifyStore> _stores = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, PendingInstall> _pending = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (string Shop, string Username, string Scope, DateTimeOffset Expires)> _codes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (string Shop, string Scope)> _tokens = new(StringComparer.Ordinal);

    public string PlatformKey => "fztf";

    public string Name => "shopify";

    public string ClientId => SimulatorClientId;

    public string ClientSecret => SimulatorClientSecret;

    public ISet<string> RedirectUris { get; } = new HashSet<string>(StringComparer.Ordinal);

    internal TimeProvider Time => time;

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,62}$", RegexOptions.CultureInvariant)]
    internal static partial Regex ShopName();

    public SimulatedHosts HostsUnder(string baseUrl)
    {
        var shop = $"{baseUrl.TrimEnd('/')}/shops/{{shop}}/admin";
        return new SimulatedHosts($"{shop}/oauth/authorize", $"{shop}/oauth/access_token", null, null, $"{shop}/api/{ApiVersion}");
    }

    public void Map(IEndpointRouteBuilder group)
    {
        var admin = group.MapGroup("/shops/{shop}/admin");
        admin.MapGet("/oauth/authorize", (HttpContext c, string shop) => ShopifyPages.Authorize(c, this, shop));
        admin.MapPost("/oauth/authorize/login", (HttpContext c, string shop) => ShopifyPages.LoginAsync(c, this, shop));
        admin.MapPost("/oauth/authorize/install", (HttpContext c, string shop) => ShopifyPages.InstallAsync(c, this, shop, cancel: false));
        admin.MapPost("/oauth/authorize/cancel", (HttpContext c, string shop) => ShopifyPages.InstallAsync(c, this, shop, cancel: true));
        admin.MapPost("/oauth/access_token", (HttpContext c, string shop) => ShopifyTokens.AccessTokenAsync(c, this, shop));
        admin.MapPost("/api/{version}/graphql.json", (HttpContext c, string shop, string version) => ShopifyGraphQlApi.HandleAsync(c, this, shop, version));
        ShopifyControl.Map(group.MapGroup("/control"), this);
    }

    /// <summary>The shop, made on first install (a <c>user_big</c> install makes a large one).</summary>
    internal ShopifyStore StoreFor(string shop, bool big) => _stores.GetOrAdd(shop, s => new ShopifyStore(s, big, time.GetUtcNow()));

    internal ShopifyStore? Find(string shop) => _stores.TryGetValue(shop, out var store) ? store : null;

    internal string Begin(PendingInstall pending)
    {
        var id = Secrets.NewId();
        _pending[id] = pending;
        return id;
    }

    internal PendingInstall? Pending(string? id, string shop) =>
        id is not null && _pending.TryGetValue(id, out var p) && p.Shop == shop && p.Expires > time.GetUtcNow() ? p : null;

    internal void End(string id) => _pending.TryRemove(id, out _);

    /// <summary>Shopify's codes are single use and short lived (we keep Intuit's 5 minutes; Shopify documents none).</summary>
    internal string IssueCode(string shop, string username, string scope)
    {
        var code = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        _codes[Secrets.Hash(code)] = (shop, username, scope, time.GetUtcNow().AddMinutes(5));
        return code;
    }

    internal (string Username, string Scope)? Redeem(string shop, string code) =>
        _codes.TryRemove(Secrets.Hash(code), out var c) && c.Shop == shop && c.Expires > time.GetUtcNow() ? (c.Username, c.Scope) : null;

    /// <summary>An offline access token (<c>shpua_…</c>) for the shop: it works until the app is uninstalled.</summary>
    internal string IssueToken(string shop, string scope)
    {
        var token = "shpua_" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        _tokens[Secrets.Hash(token)] = (shop, scope);
        return token;
    }

    /// <summary>The shop's store when <paramref name="token"/> is one of its tokens and the app is still installed.</summary>
    internal ShopifyStore? Authenticate(string shop, string? token)
    {
        if (string.IsNullOrEmpty(token) || !_tokens.TryGetValue(Secrets.Hash(token), out var grant) || grant.Shop != shop)
        {
            return null;
        }

        return Find(shop) is { Installed: true } store ? store : null;
    }

    /// <summary>Uninstalling revokes every token the app had on the shop (a reinstall issues new ones).</summary>
    internal void Uninstall(ShopifyStore store)
    {
        store.Installed = false;
        foreach (var (hash, grant) in _tokens.Where(t => t.Value.Shop == store.Name).ToList())
        {
            _tokens.TryRemove(hash, out _);
        }
    }
}

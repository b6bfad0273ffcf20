using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using static Consentry.Sandbox.Pages.HtmlPage;

namespace Consentry.Sandbox.Simulators.Shopify;

/// <summary>
/// Shopify's install flow as the merchant sees it: <c>GET /admin/oauth/authorize</c> checks the app and shows the
/// sign-in page; signing in shows the install page with the access asked for; Install sends the browser back with
/// <c>code</c>, <c>hmac</c>, <c>host</c>, <c>shop</c>, <c>state</c> and <c>timestamp</c>, signed with the app's secret.
/// Test users: <c>user_good</c>, <c>user_big</c> (a large shop), <c>user_deny</c> (declines), <c>user_error</c> (the token
/// exchange fails), password <c>pass_good</c>; anything else is refused at sign-in.
/// </summary>
internal static class ShopifyPages
{
    private static readonly HashSet<string> KnownScopes = new(
        ["read_orders", "read_all_orders", "read_products", "read_customers", "read_inventory", "read_locations", "read_shopify_payments_payouts"],
        StringComparer.Ordinal);

    private static readonly HashSet<string> Users = new(["user_good", "user_big", "user_deny", "user_error"], StringComparer.Ordinal);

    public static IResult Authorize(HttpContext context, ShopifySimulator simulator, string shop)
    {
        var query = context.Request.Query;
        if (!ShopifySimulator.ShopName().IsMatch(shop))
        {
            return Error(context, ShopifySimulator.Brand, "Shop not found", "There is no store at this address.");
        }

        if (query["client_id"] != simulator.ClientId)
        {
            return Error(context, ShopifySimulator.Brand, "Unknown app", "The app that sent you here is not known to Shopify (unknown client_id).");
        }

        var redirectUri = (string?)query["redirect_uri"];
        if (redirectUri is null || !simulator.RedirectUris.Contains(redirectUri))
        {
            return Error(context, ShopifySimulator.Brand, "Invalid redirect", "The redirect_uri is not whitelisted for this app.");
        }

        var scopes = ((string?)query["scope"] ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (scopes.Length == 0 || scopes.Any(s => !KnownScopes.Contains(s)))
        {
            return Error(context, ShopifySimulator.Brand, "Invalid scope", "The app asked for an access scope Shopify does not know.");
        }

        var id = simulator.Begin(new PendingInstall(shop, redirectUri, query["state"], string.Join(',', scopes), simulator.Time.GetUtcNow().AddMinutes(15)));
        return SignInPage(context, shop, id, null);
    }

    public static async Task<IResult> LoginAsync(HttpContext context, ShopifySimulator simulator, string shop)
    {
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var id = (string?)form["request"];
        if (simulator.Pending(id, shop) is not { } pending)
        {
            return Error(context, ShopifySimulator.Brand, "Session expired", "This sign-in has expired. Go back to the app and start again.");
        }

        var username = ((string?)form["username"] ?? "").Split('+')[0];
        if (!Users.Contains(username) || (string?)form["password"] != "pass_good")
        {
            return SignInPage(context, shop, id!, "Incorrect email or password.");
        }

        pending.Username = (string?)form["username"];
        var scopes = string.Join("", pending.Scope.Split(',').Select(s => $"<li>{E(s)}</li>"));
        return Render(context, ShopifySimulator.Brand, "Install app", $"""
            <h1>Install Consentry on {E(shop)}.myshopify.com</h1>
            <p>Signed in as <strong>{E(pending.Username)}</strong>. The app will be able to:</p>
            <ul>{scopes}</ul>
            <form method="post" action="{E(Root(context))}/install">
            <input type="hidden" name="request" value="{E(id)}">
            <button class="primary" type="submit">Install app</button>
            </form>
            <form method="post" action="{E(Root(context))}/cancel">
            <input type="hidden" name="request" value="{E(id)}">
            <button class="secondary" type="submit">Cancel</button>
            </form>
            """, formsLeaveThisSite: true);
    }

    public static async Task<IResult> InstallAsync(HttpContext context, ShopifySimulator simulator, string shop, bool cancel)
    {
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var id = (string?)form["request"];
        if (simulator.Pending(id, shop) is not { Username: { } username } pending)
        {
            return Error(context, ShopifySimulator.Brand, "Session expired", "This sign-in has expired. Go back to the app and start again.");
        }

        simulator.End(id!);
        if (cancel || username.StartsWith("user_deny", StringComparison.Ordinal))
        {
            return Back(context, pending.RedirectUri, [("error", "access_denied"), ("state", pending.State)]);
        }

        var store = simulator.StoreFor(shop, big: username.StartsWith("user_big", StringComparison.Ordinal));
        store.Installed = true;
        var host = Base64UrlTextEncoder.Encode(Encoding.UTF8.GetBytes($"admin.shopify.com/store/{shop}"));
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["code"] = simulator.IssueCode(shop, username, pending.Scope),
            ["host"] = host,
            ["shop"] = $"{shop}.myshopify.com",
            ["timestamp"] = simulator.Time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
        };
        if (pending.State is not null)
        {
            parameters["state"] = pending.State;
        }

        parameters["hmac"] = Sign(parameters, simulator.ClientSecret);
        return Back(context, pending.RedirectUri, [.. parameters.Select(p => (p.Key, (string?)p.Value))]);
    }

    /// <summary>
    /// Shopify's redirect signature: HMAC-SHA256 with the app's secret over the other parameters sorted by name, as
    /// <c>name=value</c> joined with <c>&amp;</c> (with <c>%</c>, <c>&amp;</c> escaped, and <c>=</c> in names), in lowercase hex.
    /// </summary>
    public static string Sign(IReadOnlyDictionary<string, string> parameters, string secret)
    {
        static string Escape(string s, bool name)
        {
            var escaped = s.Replace("%", "%25", StringComparison.Ordinal).Replace("&", "%26", StringComparison.Ordinal);
            return name ? escaped.Replace("=", "%3D", StringComparison.Ordinal) : escaped;
        }

        var message = string.Join('&', parameters.Where(p => p.Key is not ("hmac" or "signature")).OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => $"{Escape(p.Key, true)}={Escape(p.Value, false)}"));
        return Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(message)));
    }

    private static IResult SignInPage(HttpContext context, string shop, string id, string? error) => Render(context, ShopifySimulator.Brand, "Log in", $"""
        <h1>Log in to {E(shop)}.myshopify.com</h1>
        {(error is null ? "" : $"<p class=\"error\" role=\"alert\">{E(error)}</p>")}
        <form method="post" action="{E(Root(context))}/login">
        <input type="hidden" name="request" value="{E(id)}">
        <label for="username">Email</label>
        <input type="text" id="username" name="username" autocomplete="username" required>
        <label for="password">Password</label>
        <input type="password" id="password" name="password" autocomplete="current-password" required>
        <button class="primary" type="submit">Log in</button>
        </form>
        <p class="muted">Simulator: user_good or user_big (a large shop), password pass_good.</p>
        """, error is null ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest);

    /// <summary>The authorize page's own path, so the forms post next to it wherever the simulator is mounted.</summary>
    private static string Root(HttpContext context)
    {
        var path = $"{context.Request.PathBase}{context.Request.Path}";
        const string Marker = "/oauth/authorize";
        return path[..(path.IndexOf(Marker, StringComparison.Ordinal) + Marker.Length)];
    }

    private static IResult Back(HttpContext context, string redirectUri, (string Key, string? Value)[] parameters)
    {
        SecureHeaders(context);
        var url = redirectUri;
        foreach (var (key, value) in parameters.Where(p => p.Value is not null))
        {
            url = QueryHelpers.AddQueryString(url, key, value!);
        }

        return Results.Redirect(url);
    }
}

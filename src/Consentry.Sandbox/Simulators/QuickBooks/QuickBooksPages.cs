using Consentry.Sandbox.Pages;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using static Consentry.Sandbox.Pages.HtmlPage;

namespace Consentry.Sandbox.Simulators.QuickBooks;

/// <summary>
/// Intuit's App Center as the customer sees it: <c>GET /connect/oauth2</c> checks the app and shows the sign-in page;
/// signing in shows the company chooser (one QuickBooks company per connection, as Intuit asks); Connect sends the
/// browser back with <c>code</c>, <c>state</c> and <c>realmId</c>, Cancel with <c>error=access_denied</c>.
/// </summary>
internal static class QuickBooksPages
{
    private const string AccountingScope = "com.intuit.quickbooks.accounting";

    private static readonly HashSet<string> KnownScopes =
        new([AccountingScope, "com.intuit.quickbooks.payment", "openid", "profile", "email", "phone", "address"], StringComparer.Ordinal);

    public static IResult Authorize(HttpContext context, QuickBooksSimulator simulator)
    {
        var query = context.Request.Query;
        if (query["client_id"] != simulator.ClientId)
        {
            return Error(context, QuickBooksSimulator.Brand, "Unknown app", "The app that sent you here is not registered with Intuit (unknown client_id).");
        }

        var redirectUri = (string?)query["redirect_uri"];
        if (redirectUri is null || !simulator.RedirectUris.Contains(redirectUri))
        {
            return Error(context, QuickBooksSimulator.Brand, "Invalid return address", "The redirect_uri is not one of the app's registered redirect URIs.");
        }

        var state = (string?)query["state"];
        if (query["response_type"] != "code")
        {
            return Back(context, redirectUri, ("error", "unsupported_response_type"), ("state", state));
        }

        var scopes = ((string?)query["scope"] ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (scopes.Length == 0 || scopes.Any(s => !KnownScopes.Contains(s)))
        {
            return Back(context, redirectUri, ("error", "invalid_scope"), ("state", state));
        }

        var id = simulator.Auth.Begin(new PendingAuthorization(redirectUri, state, string.Join(' ', scopes), simulator.Time.GetUtcNow().AddMinutes(15)));
        return SignInPage(context, id, null);
    }

    public static async Task<IResult> LoginAsync(HttpContext context, QuickBooksSimulator simulator)
    {
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var id = (string?)form["request"];
        if (simulator.Auth.Pending(id) is not { } pending)
        {
            return Error(context, QuickBooksSimulator.Brand, "Session expired", "This sign-in has expired. Go back to the app and start again.");
        }

        var username = (string?)form["username"] ?? "";
        if (!QuickBooksCompanies.SignIn(username, (string?)form["password"] ?? ""))
        {
            return SignInPage(context, id!, "The user ID or password you entered is incorrect.");
        }

        pending.Username = username;
        var companies = simulator.Companies.For(username);
        var options = string.Join("\n", companies.Select((c, i) => $"""
            <div><input type="radio" id="realm-{i}" name="realmId" value="{E(c.RealmId)}"{(i == 0 ? " checked" : "")}>
            <label for="realm-{i}">{E(c.Name)}</label></div>
            """));
        return Render(context, QuickBooksSimulator.Brand, "Connect your QuickBooks company", $"""
            <h1>Connect Consentry to QuickBooks</h1>
            <p>Signed in as <strong>{E(username)}</strong>. The app will be able to read your company's accounting data:
            customers, vendors, invoices, bills, payments and the chart of accounts.</p>
            <form method="post" action="{E(Root(context))}/choose">
            <input type="hidden" name="request" value="{E(id)}">
            <fieldset><legend>Choose a company</legend>
            {options}
            </fieldset>
            <button class="primary" type="submit">Connect</button>
            </form>
            <form method="post" action="{E(Root(context))}/cancel">
            <input type="hidden" name="request" value="{E(id)}">
            <button class="secondary" type="submit">Cancel</button>
            </form>
            """, formsLeaveThisSite: true);
    }

    public static async Task<IResult> ChooseAsync(HttpContext context, QuickBooksSimulator simulator, bool cancel)
    {
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var id = (string?)form["request"];
        if (simulator.Auth.Pending(id) is not { Username: { } username } pending)
        {
            return Error(context, QuickBooksSimulator.Brand, "Session expired", "This sign-in has expired. Go back to the app and start again.");
        }

        simulator.Auth.End(id!);
        if (cancel || QuickBooksCompanies.Profile(username)?.Kind == QuickBooksUserKind.Cancels)
        {
            return Back(context, pending.RedirectUri, ("error", "access_denied"), ("state", pending.State));
        }

        var company = simulator.Companies.For(username).FirstOrDefault(c => c.RealmId == (string?)form["realmId"]);
        if (company is null)
        {
            return Error(context, QuickBooksSimulator.Brand, "Choose a company", "Choose one of your QuickBooks companies.");
        }

        var grant = simulator.Auth.NewGrant(username, company.RealmId, pending.Scope);
        var code = simulator.Auth.IssueCode(grant, pending.RedirectUri);
        return Back(context, pending.RedirectUri, ("code", code), ("state", pending.State), ("realmId", company.RealmId));
    }

    private static IResult SignInPage(HttpContext context, string id, string? error) => Render(context, QuickBooksSimulator.Brand, "Sign in", $"""
        <h1>Sign in to QuickBooks</h1>
        {(error is null ? "" : $"<p class=\"error\" role=\"alert\">{E(error)}</p>")}
        <form method="post" action="{E(Root(context))}/login">
        <input type="hidden" name="request" value="{E(id)}">
        <label for="username">Email or user ID</label>
        <input type="text" id="username" name="username" autocomplete="username" required>
        <label for="password">Password</label>
        <input type="password" id="password" name="password" autocomplete="current-password" required>
        <button class="primary" type="submit">Sign in</button>
        </form>
        <p class="muted">Simulator: user_good, user_multi (two companies) or user_big, password pass_good.</p>
        """, error is null ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest);

    /// <summary>The authorize page's own path, so the forms post next to it wherever the simulator is mounted.</summary>
    private static string Root(HttpContext context)
    {
        var path = $"{context.Request.PathBase}{context.Request.Path}";
        const string Marker = "/appcenter/connect/oauth2";
        return path[..(path.IndexOf(Marker, StringComparison.Ordinal) + Marker.Length)];
    }

    private static IResult Back(HttpContext context, string redirectUri, params (string Key, string? Value)[] parameters)
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

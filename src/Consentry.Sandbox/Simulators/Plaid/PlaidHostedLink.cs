using System.Text;
using Consentry.Sandbox.Platforms;
using Microsoft.AspNetCore.Http;
using static Consentry.Sandbox.Pages.HtmlPage;

namespace Consentry.Sandbox.Simulators.Plaid;

/// <summary>
/// Hosted Link's pages (Plaid serves them at <c>https://secure.plaid.com/hl/…</c>): choose an institution, sign in
/// there (<c>user_good</c>/<c>pass_good</c>…), choose the accounts to share, then back to the link token's
/// <c>completion_redirect_uri</c>, whether the customer finished or left. In update mode (a link token created with an
/// <c>access_token</c>) only the sign-in is asked, for the item's own institution. The session id in the URL is
/// unguessable and single-purpose, so it also stands in for an antiforgery token.
/// </summary>
internal static class PlaidHostedLink
{
    internal static readonly SandboxPlatform Branding = new("suuo", "Plaid (simulated)", "Banking", "#111111", "P", [], [], false);

    public static IResult Open(HttpContext context, PlaidSimulator sim, string session)
    {
        if (Token(sim, session) is not { } token)
        {
            return Expired(context);
        }

        token.StartedAt ??= sim.Now;
        if (token.UpdateItem is { } item)
        {
            token.InstitutionId = item.Institution.Id;
            return LoginPage(context, token, null);
        }

        var choices = new StringBuilder();
        foreach (var institution in PlaidData.Institutions.Where(i => token.CountryCodes.Contains(i.Country)))
        {
            choices.Append($"""<button type="submit" name="institution" value="{E(institution.Id)}" class="secondary">{E(institution.Name)}</button>""").Append('\n');
        }

        return Render(context, Branding, "Select your bank", $"""
            <h1>{E(token.ClientName)} uses Plaid to connect your account</h1>
            <form method="post" action="{E(Base(context))}/{E(session)}/institution">
            <fieldset><legend>Select your bank</legend>
            {choices}</fieldset>
            </form>
            {ExitForm(context, session)}
            """, formsLeaveThisSite: true);
    }

    public static async Task<IResult> StepAsync(HttpContext context, PlaidSimulator sim, string session, string step)
    {
        if (Token(sim, session) is not { StartedAt: not null } token)
        {
            return Expired(context);
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        switch (step)
        {
            case "institution" when token.UpdateItem is null && PlaidData.Institutions.FirstOrDefault(i => i.Id == form["institution"]) is { } institution:
                token.InstitutionId = institution.Id;
                return LoginPage(context, token, null);
            case "login" when token.InstitutionId is not null:
                string username = form["username"].ToString(), password = form["password"].ToString();
                if (Behaviour(username) == "user_bad" || password != "pass_good" || username.Length is 0 or > 100
                    || (token.UpdateItem is { } update && update.Username != username))
                {
                    return LoginPage(context, token, "The username or password provided were not correct.");
                }

                token.Username = username;
                if (token.UpdateItem is { } repaired)
                {
                    lock (repaired.Gate)
                    {
                        repaired.Error = null;
                        repaired.ConsentExpiration = repaired.ConsentExpiration is null ? null : sim.Now.AddDays(90);
                    }

                    return Finish(context, sim, token, repaired);
                }

                return AccountsPage(context, token);
            case "accounts" when token.Username is not null:
                if (Behaviour(token.Username) == "user_deny")
                {
                    return Leave(context, sim, token, "requires_account_selection");
                }

                var institutionOf = PlaidData.Institutions.First(i => i.Id == token.InstitutionId);
                return Finish(context, sim, token, PlaidData.NewItem(token.Username, institutionOf, token.Products, token.DaysRequested, sim.Now));
            case "exit":
                return Leave(context, sim, token, token.Username is null ? "institution_not_found" : "requires_credentials");
            default:
                return Error(context, Branding, "Something went wrong", "This step is not part of the session. Start again from the app.");
        }
    }

    /// <summary>The session succeeded: a single-use public token (<c>user_error</c>'s fails its exchange) and back to the app.</summary>
    private static IResult Finish(HttpContext context, PlaidSimulator sim, PlaidLinkToken token, PlaidItem item)
    {
        token.PublicToken = $"public-sandbox-{Guid.NewGuid()}";
        token.Result = item;
        token.FinishedAt = sim.Now;
        if (Behaviour(item.Username) != "user_error")
        {
            sim.State.PublicTokens[token.PublicToken] = item;
        }

        return Back(context, token);
    }

    private static IResult Leave(HttpContext context, PlaidSimulator sim, PlaidLinkToken token, string status)
    {
        token.ExitStatus = status;
        token.FinishedAt = sim.Now;
        return Back(context, token);
    }

    private static IResult Back(HttpContext context, PlaidLinkToken token)
    {
        SecureHeaders(context);
        context.Response.Headers.Location = token.CompletionRedirectUri;
        return Results.StatusCode(StatusCodes.Status302Found);
    }

    /// <summary>The test user's behaviour: <c>user_deny+anything</c> behaves as <c>user_deny</c> (a fresh user per test).</summary>
    internal static string Behaviour(string username) => username.Split('+')[0];

    private static PlaidLinkToken? Token(PlaidSimulator sim, string session) =>
        sim.State.HostedSessions.TryGetValue(session, out var linkToken) && sim.State.LinkTokens.TryGetValue(linkToken, out var token)
        && token.Expiration > sim.Now && token.FinishedAt is null ? token : null;

    private static IResult LoginPage(HttpContext context, PlaidLinkToken token, string? error)
    {
        var institution = PlaidData.Institutions.First(i => i.Id == token.InstitutionId);
        var alert = error is null ? "" : $"""<p class="error" role="alert" id="login-error">{E(error)}</p>""";
        var described = error is null ? " " : """ aria-describedby="login-error" aria-invalid="true" """;
        return Render(context, Branding, "Sign in", $"""
            <h1>Sign in to {E(institution.Name)}</h1>
            {(token.UpdateItem is null ? "" : "<p>Your bank needs you to sign in again to keep sharing your account.</p>")}
            {alert}
            <form method="post" action="{E(Base(context))}/{E(token.SessionId)}/login">
            <label for="username">Username</label>
            <input id="username" name="username" type="text" autocomplete="username" autocapitalize="none" spellcheck="false" required{described}autofocus>
            <label for="password">Password</label>
            <input id="password" name="password" type="password" autocomplete="current-password" required>
            <button type="submit" class="primary">Submit</button>
            </form>
            {ExitForm(context, token.SessionId)}
            <details>
            <summary>Simulator test users (password pass_good)</summary>
            <ul>
            <li>user_good: three accounts, twelve months of transactions</li>
            <li>user_big: thousands of transactions</li>
            <li>user_deny: leaves at the account selection; user_error: the public token exchange fails; user_bad: invalid credentials</li>
            </ul>
            </details>
            """, statusCode: error is null ? StatusCodes.Status200OK : StatusCodes.Status401Unauthorized, formsLeaveThisSite: true);
    }

    private static IResult AccountsPage(HttpContext context, PlaidLinkToken token) => Render(context, Branding, "Select accounts", $"""
        <h1>Select the accounts to share with {E(token.ClientName)}</h1>
        <form method="post" action="{E(Base(context))}/{E(token.SessionId)}/accounts">
        <fieldset><legend>Accounts</legend>
        <div><input type="checkbox" id="acct-0" name="account" value="0" checked> <label for="acct-0">Plaid Checking ••0000</label></div>
        <div><input type="checkbox" id="acct-1" name="account" value="1" checked> <label for="acct-1">Plaid Saving ••1111</label></div>
        <div><input type="checkbox" id="acct-2" name="account" value="2" checked> <label for="acct-2">Plaid Credit Card ••3333</label></div>
        </fieldset>
        <button type="submit" class="primary">Continue</button>
        </form>
        {ExitForm(context, token.SessionId)}
        """, formsLeaveThisSite: true);

    private static string ExitForm(HttpContext context, string session) =>
        $"""<form method="post" action="{E(Base(context))}/{E(session)}/exit"><button type="submit" class="secondary">Exit</button></form>""";

    /// <summary>The pages' folder (<c>…/hl</c>), wherever the simulator is mounted.</summary>
    private static string Base(HttpContext context)
    {
        var path = (context.Request.PathBase + context.Request.Path).Value!;
        return path[..(path.LastIndexOf("/hl/", StringComparison.Ordinal) + 3)];
    }

    private static IResult Expired(HttpContext context) =>
        Error(context, Branding, "This link has expired", "This Plaid session is no longer valid. Go back to the app and start again.");
}

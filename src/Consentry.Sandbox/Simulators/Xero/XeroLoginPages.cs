using System.Text;
using Consentry.Sandbox.OAuth;
using Consentry.Sandbox.Pages;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using static Consentry.Sandbox.Pages.HtmlPage;

namespace Consentry.Sandbox.Simulators.Xero;

/// <summary>
/// login.xero.com's side of the authorization code flow: validate the request, sign in, then the consent page where the
/// user chooses which organisations the app may use. Connections are created when the user allows (as at Xero), before
/// the code is redeemed. The pending request is held server-side under an unguessable handle carried by the forms, which
/// also stands in for an antiforgery token (a forged post cannot know it).
/// </summary>
internal static class XeroLoginPages
{
    private const string RequestField = "request";

    public static IResult Authorize(HttpContext context, XeroSimulator sim)
    {
        var query = context.Request.Query;
        string? clientId = query["client_id"], redirectUri = query["redirect_uri"], state = query["state"];
        if (clientId != sim.ClientId)
        {
            return Error(context, XeroSimulator.Branding, "Unknown app", "The app that sent you here is not registered with Xero (unknown client_id).");
        }

        if (redirectUri is null || !sim.RedirectUris.Contains(redirectUri))
        {
            return Error(context, XeroSimulator.Branding, "Invalid redirect_uri", "The return address (redirect_uri) is not registered for this app.");
        }

        IResult Back(string error, string description) => Redirect(context, redirectUri, [new("error", error), new("error_description", description), new("state", state)]);
        if (query["response_type"] != "code")
        {
            return Back("unsupported_response_type", "Only response_type=code is supported.");
        }

        var scopes = ((string?)query["scope"] ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal).ToList();
        if (scopes.Count == 0 || scopes.FirstOrDefault(s => !XeroSimulator.KnownScopes.Contains(s)) is { } unknown)
        {
            return Back("invalid_scope", scopes.Count == 0 ? "No scope was requested." : $"Unknown scope: {scopes.First(s => !XeroSimulator.KnownScopes.Contains(s))}.");
        }

        string? challenge = query["code_challenge"];
        if (challenge is not null && (query["code_challenge_method"] != Pkce.S256 || !Pkce.IsValidChallenge(challenge)))
        {
            return Back("invalid_request", "code_challenge must be a S256 challenge (code_challenge_method=S256).");
        }

        var handle = Secrets.NewToken();
        sim.State.Requests[handle] = new XeroAuthorizationRequest(clientId, redirectUri, state, challenge, scopes, sim.Now.AddMinutes(30));
        return LoginPage(context, handle, null, invalid: false);
    }

    public static async Task<IResult> LoginAsync(HttpContext context, XeroSimulator sim)
    {
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        if (Pending(sim, form) is not (var handle, { } request))
        {
            return Expired(context);
        }

        var username = ((string?)form["username"] ?? "").Trim();
        if (XeroUsers.SignIn(username, (string?)form["password"] ?? "") is null)
        {
            return LoginPage(context, handle, username, invalid: true);
        }

        sim.State.Requests[handle] = request with { Username = username };
        return ConsentPage(context, request with { Username = username }, handle, missingChoice: false);
    }

    public static async Task<IResult> DecideAsync(HttpContext context, XeroSimulator sim, bool allowed)
    {
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        if (Pending(sim, form) is not (var handle, { Username: { } username } request))
        {
            return Expired(context);
        }

        var organisations = XeroUsers.OrganisationsOf(username);
        var chosen = organisations.Where(o => form[$"org-{o.Index}"] == "on").ToList();
        if (allowed && chosen.Count == 0)
        {
            return ConsentPage(context, request, handle, missingChoice: true);
        }

        if (!sim.State.Requests.TryRemove(handle, out _))
        {
            return Expired(context);
        }

        if (!allowed || XeroUsers.BehaviourOf(username) == XeroUserBehaviour.Cancels)
        {
            return Redirect(context, request.RedirectUri, [new("error", "access_denied"), new("error_description", "The user denied access."), new("state", request.State)]);
        }

        var grant = new XeroGrant(username, request.Scopes, Guid.NewGuid().ToString());
        var connections = sim.State.ConnectionsOf(username);
        lock (connections)
        {
            foreach (var org in chosen)
            {
                // Xero keeps one connection per tenant and app: connecting again replaces it.
                connections.RemoveAll(c => c.TenantId == org.TenantId);
                connections.Add(new XeroConnection(Guid.NewGuid().ToString(), org.TenantId, org.Name, grant.AuthEventId, sim.Now));
            }
        }

        var code = Secrets.NewToken();
        sim.State.Codes[code] = new XeroCode(request.ClientId, request.RedirectUri, request.CodeChallenge, grant, sim.Now + sim.Options.CodeLifetime);
        return Redirect(context, request.RedirectUri, [new("code", code), new("scope", string.Join(' ', request.Scopes)), new("state", request.State)]);
    }

    private static (string Handle, XeroAuthorizationRequest? Request) Pending(XeroSimulator sim, IFormCollection form)
    {
        var handle = (string?)form[RequestField] ?? "";
        return sim.State.Requests.TryGetValue(handle, out var request) && request.ExpiresAt > sim.Now ? (handle, request) : (handle, null);
    }

    private static IResult LoginPage(HttpContext context, string handle, string? username, bool invalid)
    {
        var error = invalid ? """<p class="error" role="alert" id="login-error">Your email or password is incorrect.</p>""" : "";
        var described = invalid ? """ aria-describedby="login-error" aria-invalid="true" """ : " ";
        return Render(context, XeroSimulator.Branding, "Log in", $"""
            <h1>Log in to Xero</h1>
            {error}
            <form method="post" action="{E(Base(context))}/login">
            <input type="hidden" name="{RequestField}" value="{E(handle)}">
            <label for="username">Email address</label>
            <input id="username" name="username" type="text" autocomplete="username" autocapitalize="none" spellcheck="false" required value="{E(username)}"{described}autofocus>
            <label for="password">Password</label>
            <input id="password" name="password" type="password" autocomplete="current-password" required>
            <button type="submit" class="primary">Log in</button>
            </form>
            <details>
            <summary>Simulator test users (password pass_good)</summary>
            <ul>
            <li>user_good: one organisation</li>
            <li>user_multi: two organisations (choose which to connect)</li>
            <li>user_big: one organisation with 5,000 invoices</li>
            <li>user_deny: cancels; user_error: the token exchange fails; user_bad: invalid credentials</li>
            </ul>
            </details>
            """, statusCode: invalid ? StatusCodes.Status401Unauthorized : StatusCodes.Status200OK);
    }

    private static IResult ConsentPage(HttpContext context, XeroAuthorizationRequest request, string handle, bool missingChoice)
    {
        var organisations = XeroUsers.OrganisationsOf(request.Username!);
        var choices = new StringBuilder();
        foreach (var org in organisations)
        {
            var id = $"org-{org.Index}";
            choices.Append($"""<div><input type="checkbox" id="{id}" name="{id}" value="on"{(org.Index == 1 ? " checked" : "")}> <label for="{id}">{E(org.Name)}</label></div>""").Append('\n');
        }

        var scopes = string.Concat(request.Scopes.Select(s => $"<li>{E(s)}</li>"));
        var error = missingChoice ? """<p class="error" role="alert" id="org-error">Choose at least one organisation.</p>""" : "";
        var hidden = $"""<input type="hidden" name="{RequestField}" value="{E(handle)}">""";
        return Render(context, XeroSimulator.Branding, "Allow access", $"""
            <h1>Consentry wants to access your Xero data</h1>
            <p class="muted">Logged in as <strong>{E(request.Username)}</strong>.</p>
            <p>It will be able to use:</p>
            <ul>{scopes}</ul>
            {error}
            <form method="post" action="{E(Base(context))}/consent/allow">
            {hidden}
            <fieldset{(missingChoice ? " aria-describedby=\"org-error\"" : "")}>
            <legend>Organisations to connect</legend>
            {choices}</fieldset>
            <button type="submit" class="primary">Allow access</button>
            </form>
            <form method="post" action="{E(Base(context))}/consent/deny">
            {hidden}
            <button type="submit" class="secondary">Cancel</button>
            </form>
            """, formsLeaveThisSite: true);
    }

    private static IResult Expired(HttpContext context) =>
        Error(context, XeroSimulator.Branding, "This sign-in has expired", "This authorization request is no longer valid.");

    /// <summary>This page's folder (<c>…/login/identity/connect</c>), wherever the simulator is mounted.</summary>
    private static string Base(HttpContext context)
    {
        var path = context.Request.PathBase + context.Request.Path;
        return path.Value![..path.Value!.LastIndexOf("/connect/", StringComparison.Ordinal)] + "/connect";
    }

    private static IResult Redirect(HttpContext context, string redirectUri, KeyValuePair<string, string?>[] parameters)
    {
        SecureHeaders(context);
        context.Response.Headers.Location = QueryHelpers.AddQueryString(redirectUri, parameters.Where(p => p.Value is not null));
        return Results.StatusCode(StatusCodes.Status302Found);
    }
}

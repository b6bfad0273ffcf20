using Consentry.Sandbox.OAuth;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using static Consentry.Sandbox.Pages.HtmlPage;

namespace Consentry.Sandbox.Simulators.Stripe;

/// <summary>
/// connect.stripe.com's side of Connect OAuth: validate the request (<c>response_type=code</c>, the platform's
/// <c>client_id</c>, a registered <c>redirect_uri</c>, scope <c>read_only</c> or <c>read_write</c>), sign in, then the
/// page where the user connects their account. The account is connected to the platform when the user allows, before the
/// code is redeemed, as at Stripe. The pending request is held server-side under an unguessable handle the forms carry.
/// </summary>
internal static class StripeConnectPages
{
    private const string RequestField = "request";

    public static IResult Authorize(HttpContext context, StripeSimulator sim)
    {
        var query = context.Request.Query;
        string? clientId = query["client_id"], redirectUri = query["redirect_uri"], state = query["state"];
        if (clientId != sim.ClientId)
        {
            return Error(context, StripeSimulator.Branding, "Invalid client_id", "No application matches the supplied client identifier.");
        }

        if (redirectUri is null || !sim.RedirectUris.Contains(redirectUri))
        {
            return Error(context, StripeSimulator.Branding, "Invalid redirect_uri", "The redirect_uri is not one of the platform's registered redirect URIs.");
        }

        IResult Back(string error, string description) => Redirect(context, redirectUri, [new("error", error), new("error_description", description), new("state", state)]);
        if (query["response_type"] != "code")
        {
            return Back("unsupported_response_type", "Only response_type=code is supported.");
        }

        var scope = (string?)query["scope"] is { Length: > 0 } asked ? asked : "read_only";
        if (scope is not ("read_only" or "read_write"))
        {
            return Back("invalid_scope", $"Invalid scope: {scope}. Use read_only or read_write.");
        }

        var handle = Secrets.NewToken();
        sim.State.Requests[handle] = new StripeAuthorizationRequest(clientId, redirectUri, state, scope, sim.Now.AddMinutes(30));
        return LoginPage(context, handle, null, invalid: false);
    }

    public static async Task<IResult> LoginAsync(HttpContext context, StripeSimulator sim)
    {
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        if (Pending(sim, form) is not (var handle, { } request))
        {
            return Expired(context);
        }

        var username = ((string?)form["username"] ?? "").Trim();
        if (StripeUsers.SignIn(username, (string?)form["password"] ?? "") is null)
        {
            return LoginPage(context, handle, username, invalid: true);
        }

        sim.State.Requests[handle] = request with { Username = username };
        return ConsentPage(context, request with { Username = username }, handle);
    }

    public static async Task<IResult> DecideAsync(HttpContext context, StripeSimulator sim, bool allowed)
    {
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        if (Pending(sim, form) is not (var handle, { Username: { } username } request) || !sim.State.Requests.TryRemove(handle, out _))
        {
            return Expired(context);
        }

        if (!allowed || StripeUsers.BehaviourOf(username) == StripeUserBehaviour.Cancels)
        {
            return Redirect(context, request.RedirectUri, [new("error", "access_denied"), new("error_description", "The user denied your request"), new("state", request.State)]);
        }

        var accountId = StripeUsers.AccountIdOf(username);
        sim.State.Connected[accountId] = new StripeConnection(username, accountId, request.Scope);
        var code = "ac_" + Secrets.NewToken();
        sim.State.Codes[code] = new StripeCode(request.ClientId, username, request.Scope, sim.Now + sim.Options.CodeLifetime);
        return Redirect(context, request.RedirectUri, [new("code", code), new("scope", request.Scope), new("state", request.State)]);
    }

    private static (string Handle, StripeAuthorizationRequest? Request) Pending(StripeSimulator sim, IFormCollection form)
    {
        var handle = (string?)form[RequestField] ?? "";
        return sim.State.Requests.TryGetValue(handle, out var request) && request.ExpiresAt > sim.Now ? (handle, request) : (handle, null);
    }

    private static IResult LoginPage(HttpContext context, string handle, string? username, bool invalid)
    {
        var error = invalid ? """<p class="error" role="alert" id="login-error">Incorrect email or password.</p>""" : "";
        var described = invalid ? """ aria-describedby="login-error" aria-invalid="true" """ : " ";
        return Render(context, StripeSimulator.Branding, "Sign in", $"""
            <h1>Sign in to your Stripe account</h1>
            {error}
            <form method="post" action="{E(Base(context))}/login">
            <input type="hidden" name="{RequestField}" value="{E(handle)}">
            <label for="username">Email</label>
            <input id="username" name="username" type="text" autocomplete="username" autocapitalize="none" spellcheck="false" required value="{E(username)}"{described}autofocus>
            <label for="password">Password</label>
            <input id="password" name="password" type="password" autocomplete="current-password" required>
            <button type="submit" class="primary">Sign in</button>
            </form>
            <details>
            <summary>Simulator test users (password pass_good)</summary>
            <ul>
            <li>user_good: a small account; user_big: a large one</li>
            <li>user_deny: cancels; user_error: the token exchange fails; user_bad: invalid credentials</li>
            <li>Each account's restricted key is rk_test_sim_ followed by the username (rk_test_sim_user_good)</li>
            </ul>
            </details>
            """, statusCode: invalid ? StatusCodes.Status401Unauthorized : StatusCodes.Status200OK);
    }

    private static IResult ConsentPage(HttpContext context, StripeAuthorizationRequest request, string handle)
    {
        var hidden = $"""<input type="hidden" name="{RequestField}" value="{E(handle)}">""";
        var access = request.Scope == "read_only" ? "read your account's data (read only)" : "read and write your account's data";
        return Render(context, StripeSimulator.Branding, "Connect your account", $"""
            <h1>Consentry would like to connect to your Stripe account</h1>
            <p class="muted">Signed in as <strong>{E(request.Username)}</strong> ({E(StripeUsers.AccountIdOf(request.Username!))}).</p>
            <p>It will be able to {E(access)}: customers, products, payments, payouts, balance and disputes.</p>
            <form method="post" action="{E(Base(context))}/consent/allow">
            {hidden}
            <button type="submit" class="primary">Connect my Stripe account</button>
            </form>
            <form method="post" action="{E(Base(context))}/consent/deny">
            {hidden}
            <button type="submit" class="secondary">Cancel</button>
            </form>
            """, formsLeaveThisSite: true);
    }

    private static IResult Expired(HttpContext context) =>
        Error(context, StripeSimulator.Branding, "This sign-in has expired", "This authorization request is no longer valid.");

    /// <summary>This page's folder (<c>…/oauth</c>), wherever the simulator is mounted.</summary>
    private static string Base(HttpContext context)
    {
        var path = (context.Request.PathBase + context.Request.Path).Value!;
        return path[..(path.LastIndexOf("/oauth/", StringComparison.Ordinal) + "/oauth".Length)];
    }

    private static IResult Redirect(HttpContext context, string redirectUri, KeyValuePair<string, string?>[] parameters)
    {
        SecureHeaders(context);
        context.Response.Headers.Location = QueryHelpers.AddQueryString(redirectUri, parameters.Where(p => p.Value is not null));
        return Results.StatusCode(StatusCodes.Status302Found);
    }
}

using System.Text;
using Consentry.Sandbox.OAuth;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using static Consentry.Sandbox.Pages.HtmlPage;

namespace Consentry.Sandbox.Simulators.TrueLayer;

/// <summary>
/// TrueLayer's auth dialog: the auth link (<c>response_type=code</c>, <c>client_id</c>, <c>redirect_uri</c>, <c>scope</c>,
/// <c>providers</c>, <c>state</c>) opens the provider chooser with the banks <c>providers</c> selects, then the chosen
/// bank's sign-in and consent, then a redirect back with <c>code</c>, <c>scope</c> and <c>state</c> (or
/// <c>error=access_denied</c>). A re-authentication link skips the chooser: the bank is the grant's. The pending request
/// is held server-side under an unguessable handle carried by the forms (it also stands in for an antiforgery token).
/// </summary>
internal static class TrueLayerAuthPages
{
    private const string RequestField = "request";

    public static IResult Authorize(HttpContext context, TrueLayerSimulator sim)
    {
        var query = context.Request.Query;
        string? clientId = query["client_id"], redirectUri = query["redirect_uri"], state = query["state"];
        if (clientId != sim.ClientId)
        {
            return Error(context, TrueLayerSimulator.Branding, "Unknown client", "The app that sent you here is not registered with TrueLayer (unknown client_id).");
        }

        if (redirectUri is null || !sim.RedirectUris.Contains(redirectUri))
        {
            return Error(context, TrueLayerSimulator.Branding, "Invalid redirect_uri", "The return address (redirect_uri) is not registered for this client.");
        }

        IResult Back(string error, string description) => Redirect(context, redirectUri, [new("error", error), new("error_description", description), new("state", state)]);
        if (query["response_type"] != "code")
        {
            return Back("unsupported_response_type", "Only response_type=code is supported.");
        }

        var scopes = ((string?)query["scope"] ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal).ToList();
        if (scopes.Count == 0 || scopes.FirstOrDefault(s => !TrueLayerSimulator.KnownScopes.Contains(s)) is { } unknown)
        {
            return Back("invalid_scope", scopes.Count == 0 ? "No scope was requested." : $"Unknown scope: {scopes.First(s => !TrueLayerSimulator.KnownScopes.Contains(s))}.");
        }

        var providers = TrueLayerUsers.Selected(query["providers"]);
        if (providers.Count == 0)
        {
            return Back("invalid_request", "The providers parameter selects no provider.");
        }

        var handle = Secrets.NewToken();
        var request = new TrueLayerAuthRequest(clientId, redirectUri, state, scopes, providers, sim.Now.AddMinutes(30));
        sim.State.Requests[handle] = request;
        return providers.Count == 1 ? LoginPage(context, request with { Provider = providers[0] }, handle, null, invalid: false) : ChooserPage(context, request, handle);
    }

    /// <summary>The link <c>/v1/reauthuri</c> answered: straight to the grant's bank.</summary>
    public static IResult Reauthenticate(HttpContext context, TrueLayerSimulator sim, string handle) =>
        sim.State.Requests.TryGetValue(handle, out var request) && request.ExpiresAt > sim.Now && request.Reauthenticating is not null
            ? LoginPage(context, request, handle, request.Reauthenticating.Username, invalid: false)
            : Expired(context);

    public static async Task<IResult> ChooseProviderAsync(HttpContext context, TrueLayerSimulator sim)
    {
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        if (Pending(sim, form) is not (var handle, { } request))
        {
            return Expired(context);
        }

        if (request.Providers.FirstOrDefault(p => p.Id == (string?)form["provider_id"]) is not { } provider)
        {
            return ChooserPage(context, request, handle, missingChoice: true);
        }

        sim.State.Requests[handle] = request with { Provider = provider };
        return LoginPage(context, request with { Provider = provider }, handle, null, invalid: false);
    }

    public static async Task<IResult> LoginAsync(HttpContext context, TrueLayerSimulator sim)
    {
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        if (Pending(sim, form) is not (var handle, { Provider: not null } request))
        {
            return Expired(context);
        }

        var username = ((string?)form["username"] ?? "").Trim();
        if (TrueLayerUsers.SignIn(username, (string?)form["password"] ?? "") is null
            || (request.Reauthenticating is { } grant && grant.Username != username))
        {
            return LoginPage(context, request, handle, username, invalid: true);
        }

        sim.State.Requests[handle] = request with { Username = username };
        return ConsentPage(context, request with { Username = username }, handle);
    }

    public static async Task<IResult> DecideAsync(HttpContext context, TrueLayerSimulator sim, bool allowed)
    {
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        if (Pending(sim, form) is not (var handle, { Username: { } username, Provider: { } provider } request) || !sim.State.Requests.TryRemove(handle, out _))
        {
            return Expired(context);
        }

        if (!allowed || TrueLayerUsers.BehaviourOf(username) == TrueLayerUserBehaviour.Cancels)
        {
            return Redirect(context, request.RedirectUri, [new("error", "access_denied"), new("error_description", "The user cancelled at the bank."), new("state", request.State)]);
        }

        var now = sim.Now;
        var grant = request.Reauthenticating ?? new TrueLayerGrant(username, provider, request.Scopes, now, sim.Options.ConsentLifetime);
        if (request.Reauthenticating is not null)
        {
            // TrueLayer's re-authentication renews the consent of the same connection (credentials_id).
            grant.ConsentExpiresAt = now + sim.Options.ConsentLifetime;
            grant.CallsUntilConsentEnds = null;
        }

        grant.AuthenticatedAt = now;
        var code = Secrets.NewToken();
        sim.State.Codes[code] = new TrueLayerCode(request.ClientId, request.RedirectUri, grant, now + sim.Options.CodeLifetime);
        return Redirect(context, request.RedirectUri, [new("code", code), new("scope", string.Join(' ', grant.Scopes)), new("state", request.State)]);
    }

    private static (string Handle, TrueLayerAuthRequest? Request) Pending(TrueLayerSimulator sim, IFormCollection form)
    {
        var handle = (string?)form[RequestField] ?? "";
        return sim.State.Requests.TryGetValue(handle, out var request) && request.ExpiresAt > sim.Now ? (handle, request) : (handle, null);
    }

    private static IResult ChooserPage(HttpContext context, TrueLayerAuthRequest request, string handle, bool missingChoice = false)
    {
        var choices = new StringBuilder();
        foreach (var provider in request.Providers)
        {
            var id = $"provider-{provider.Id}";
            choices.Append($"""<div><input type="radio" id="{id}" name="provider_id" value="{E(provider.Id)}" required> <label for="{id}">{E(provider.DisplayName)}</label></div>""").Append('\n');
        }

        var error = missingChoice ? """<p class="error" role="alert" id="provider-error">Choose your bank.</p>""" : "";
        return Render(context, TrueLayerSimulator.Branding, "Choose your bank", $"""
            <h1>Choose your bank</h1>
            <p>Consentry uses TrueLayer to connect to your bank account.</p>
            {error}
            <form method="post" action="{E(Base(context))}/provider">
            <input type="hidden" name="{RequestField}" value="{E(handle)}">
            <fieldset{(missingChoice ? " aria-describedby=\"provider-error\"" : "")}>
            <legend>Banks</legend>
            {choices}</fieldset>
            <button type="submit" class="primary">Continue</button>
            </form>
            """);
    }

    private static IResult LoginPage(HttpContext context, TrueLayerAuthRequest request, string handle, string? username, bool invalid)
    {
        var error = invalid ? """<p class="error" role="alert" id="login-error">Your username or password is incorrect.</p>""" : "";
        var described = invalid ? """ aria-describedby="login-error" aria-invalid="true" """ : " ";
        var bank = request.Provider!;
        return Render(context, TrueLayerSimulator.Branding, $"Sign in to {bank.DisplayName}", $"""
            <h1>Sign in to {E(bank.DisplayName)}</h1>
            {error}
            <form method="post" action="{E(Base(context))}/login">
            <input type="hidden" name="{RequestField}" value="{E(handle)}">
            <label for="username">Username</label>
            <input id="username" name="username" type="text" autocomplete="username" autocapitalize="none" spellcheck="false" required value="{E(username)}"{described}autofocus>
            <label for="password">Password</label>
            <input id="password" name="password" type="password" autocomplete="current-password" required>
            <button type="submit" class="primary">Sign in</button>
            </form>
            <details>
            <summary>Simulator test users (password pass_good)</summary>
            <ul>
            <li>user_good: a current and a savings account, and a credit card at Mock Bank</li>
            <li>user_big: the same with a year of daily trading</li>
            <li>user_deny: cancels; user_error: the token exchange fails; user_bad: invalid credentials</li>
            </ul>
            </details>
            """, statusCode: invalid ? StatusCodes.Status401Unauthorized : StatusCodes.Status200OK);
    }

    private static IResult ConsentPage(HttpContext context, TrueLayerAuthRequest request, string handle)
    {
        var scopes = string.Concat(request.Scopes.Select(s => $"<li>{E(s)}</li>"));
        var hidden = $"""<input type="hidden" name="{RequestField}" value="{E(handle)}">""";
        return Render(context, TrueLayerSimulator.Branding, "Allow access", $"""
            <h1>Share your {E(request.Provider!.DisplayName)} data with Consentry</h1>
            <p class="muted">Signed in as <strong>{E(request.Username)}</strong>. Access lasts 90 days.</p>
            <p>Consentry will be able to read:</p>
            <ul>{scopes}</ul>
            <form method="post" action="{E(Base(context))}/consent/allow">
            {hidden}
            <button type="submit" class="primary">Allow</button>
            </form>
            <form method="post" action="{E(Base(context))}/consent/deny">
            {hidden}
            <button type="submit" class="secondary">Cancel</button>
            </form>
            """, formsLeaveThisSite: true);
    }

    private static IResult Expired(HttpContext context) =>
        Error(context, TrueLayerSimulator.Branding, "This link has expired", "This authorization request is no longer valid.");

    /// <summary>The auth dialog's folder (<c>…/auth</c>), wherever the simulator is mounted.</summary>
    private static string Base(HttpContext context)
    {
        var path = (context.Request.PathBase + context.Request.Path).Value!;
        return path[..(path.IndexOf("/auth/", StringComparison.Ordinal) + "/auth".Length)];
    }

    private static IResult Redirect(HttpContext context, string redirectUri, KeyValuePair<string, string?>[] parameters)
    {
        SecureHeaders(context);
        context.Response.Headers.Location = QueryHelpers.AddQueryString(redirectUri, parameters.Where(p => p.Value is not null));
        return Results.StatusCode(StatusCodes.Status302Found);
    }
}

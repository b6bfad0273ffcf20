using Consentry.Sandbox.Pages;
using Consentry.Sandbox.Platforms;
using Consentry.Sandbox.Store;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using static Consentry.Sandbox.OAuth.OAuthResponses;

namespace Consentry.Sandbox.OAuth;

/// <summary>
/// The browser half of the authorization code flow: <c>GET oauth/authorize</c> validates the request and shows the
/// login page; <c>POST oauth/login</c> checks the credentials and shows the consent page; <c>POST oauth/consent/accept</c>
/// and <c>…/deny</c> send the browser back to the client.
/// </summary>
internal static class AuthorizeEndpoints
{
    public static IResult Authorize(
        HttpContext context, SandboxPlatform platform, SandboxSite site, SandboxClients clients, AuthorizationRequests requests,
        IAntiforgery antiforgery, TimeProvider time)
    {
        var query = context.Request.Query;

        // Until the client and its redirect URI are known to be genuine, errors are shown here, never redirected
        // (RFC 6749 §4.1.2.1), so the sandbox cannot be used as an open redirector.
        var client = query["client_id"].Count == 1 ? clients.Find(query["client_id"][0]) : null;
        if (client is null)
        {
            return HtmlPage.Error(context, platform, "Unknown app", $"The app that sent you here is not registered with {platform.Name} (unknown client_id).");
        }

        var redirectUri = query["redirect_uri"].Count == 1 ? query["redirect_uri"][0] : null;
        if (redirectUri is null || !client.RedirectUris.Contains(redirectUri))
        {
            return HtmlPage.Error(context, platform, "Invalid return address", $"The return address (redirect_uri) is not registered for {client.DisplayName}.");
        }

        var state = query["state"].Count == 1 ? query["state"][0] : null;
        var issuer = site.Issuer(context, platform);
        IResult Fail(string error, string description) =>
            RedirectBack(context, redirectUri, [new("error", error), new("error_description", description), new("state", state), new("iss", issuer)]);

        var repeated = query.Where(p => p.Value.Count > 1).Select(p => p.Key).FirstOrDefault();
        if (repeated is not null)
        {
            return Fail(InvalidRequest, $"The parameter {repeated} must not be repeated.");
        }

        if (query["response_type"] != "code")
        {
            return Fail(UnsupportedResponseType, "Only response_type=code is supported.");
        }

        string? challenge = query["code_challenge"];
        if (string.IsNullOrEmpty(challenge))
        {
            return Fail(InvalidRequest, "PKCE is required: send code_challenge and code_challenge_method=S256.");
        }

        if (query["code_challenge_method"] != Pkce.S256)
        {
            return Fail(InvalidRequest, "code_challenge_method must be S256.");
        }

        if (!Pkce.IsValidChallenge(challenge))
        {
            return Fail(InvalidRequest, "code_challenge must be the base64url SHA-256 of the code verifier (43 characters).");
        }

        var scopes = ((string?)query["scope"] ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal).ToList();
        if (scopes.Count == 0)
        {
            scopes = [.. platform.Scopes.Select(s => s.Name)];
        }

        if (scopes.FirstOrDefault(s => platform.FindScope(s) is null) is { } unknown)
        {
            return Fail(InvalidScope, $"Unknown scope: {unknown}.");
        }

        var request = new AuthorizationRequest(
            platform.Key, client.ClientId, redirectUri, scopes, state, challenge,
            time.GetUtcNow() + site.Options.AuthorizationRequestLifetime);
        return AuthorizationPages.Login(
            context, platform, site.PlatformPath(context, platform), antiforgery, client, requests.ForLogin(request));
    }

    public static async Task<IResult> Login(
        HttpContext context, SandboxPlatform platform, SandboxSite site, SandboxClients clients, AuthorizationRequests requests,
        IAntiforgery antiforgery)
    {
        if (await ReadVerifiedFormAsync(context, antiforgery) is not { } form)
        {
            return FormRejected(context, platform);
        }

        if (requests.ReadLogin(form[AuthorizationPages.RequestField], platform) is not { } request
            || clients.Find(request.ClientId) is not { } client)
        {
            return RequestExpired(context, platform);
        }

        var path = site.PlatformPath(context, platform);
        var username = ((string?)form["username"] ?? "").Trim();
        if (TestUsers.SignIn(username, (string?)form["password"] ?? "") is null)
        {
            return AuthorizationPages.Login(
                context, platform, path, antiforgery, client, form[AuthorizationPages.RequestField]!, username, invalidCredentials: true);
        }

        var signedIn = request with { Username = username };
        var lifetime = platform.ConsentExpires ? site.Options.BankingConsentLifetime : (TimeSpan?)null;
        return AuthorizationPages.Consent(
            context, platform, path, antiforgery, client, signedIn, requests.ForConsent(signedIn), lifetime);
    }

    public static async Task<IResult> Decide(
        HttpContext context, SandboxPlatform platform, SandboxSite site, AuthorizationRequests requests, IAntiforgery antiforgery,
        ISandboxStore store, TimeProvider time, ILoggerFactory loggers, bool accepted)
    {
        if (await ReadVerifiedFormAsync(context, antiforgery) is not { } form)
        {
            return FormRejected(context, platform);
        }

        string? submitted = form[AuthorizationPages.RequestField];
        if (requests.ReadConsent(submitted, platform) is not { } request)
        {
            return RequestExpired(context, platform);
        }

        // One answer per consent page: a resubmitted form (back button, double click) cannot mint a second code.
        if (!store.TryUseOnce("consent:" + Secrets.Hash(submitted!), request.ExpiresAt))
        {
            return HtmlPage.Error(context, platform, "Already answered", "This request was already answered.");
        }

        var issuer = site.Issuer(context, platform);
        var username = request.Username!;
        var behaviour = TestUsers.BehaviourOf(username);
        if (!accepted || behaviour == UserBehaviour.Cancels)
        {
            var why = accepted ? "The user cancelled the authorization." : "The user denied access.";
            return RedirectBack(context, request.RedirectUri, [
                new("error", AccessDenied), new("error_description", why), new("state", request.State), new("iss", issuer)]);
        }

        var now = time.GetUtcNow();
        var code = Secrets.NewToken();
        store.SaveCode(Secrets.Hash(code), new AuthorizationCode(
            platform.Key, request.ClientId, request.RedirectUri, request.CodeChallenge, username, request.Scopes, now,
            now + site.Options.AuthorizationCodeLifetime));
        loggers.CreateLogger(typeof(AuthorizeEndpoints)).LogInformation(
            "{Platform}: {Username} authorized client {ClientId}", platform.Key, username, request.ClientId);
        return RedirectBack(context, request.RedirectUri, [new("code", code), new("state", request.State), new("iss", issuer)]);
    }

    private static SilentRedirect RedirectBack(HttpContext context, string redirectUri, KeyValuePair<string, string?>[] parameters)
    {
        HtmlPage.SecureHeaders(context);
        return new SilentRedirect(RedirectUri(redirectUri, parameters));
    }

    /// <summary>A 302 that, unlike <c>Results.Redirect</c>, does not log its destination: it carries the code.</summary>
    private sealed class SilentRedirect(string location) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = StatusCodes.Status302Found;
            httpContext.Response.Headers.Location = location;
            return Task.CompletedTask;
        }
    }

    /// <summary>The form, when it came from our own page (antiforgery cookie and field match); otherwise null.</summary>
    private static async Task<IFormCollection?> ReadVerifiedFormAsync(HttpContext context, IAntiforgery antiforgery)
    {
        if (!context.Request.HasFormContentType)
        {
            return null;
        }

        try
        {
            await antiforgery.ValidateRequestAsync(context);
        }
        catch (AntiforgeryValidationException)
        {
            return null;
        }

        return await context.Request.ReadFormAsync(context.RequestAborted);
    }

    private static IResult FormRejected(HttpContext context, SandboxPlatform platform) =>
        HtmlPage.Error(context, platform, "Please try again", "This form could not be verified (it may have expired, or cookies are blocked).");

    private static IResult RequestExpired(HttpContext context, SandboxPlatform platform) =>
        HtmlPage.Error(context, platform, "This sign-in has expired", "This sign-in request is no longer valid.");
}

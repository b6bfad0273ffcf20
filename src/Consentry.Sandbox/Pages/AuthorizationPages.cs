using System.Text;
using Consentry.Sandbox.OAuth;
using Consentry.Sandbox.Platforms;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using static Consentry.Sandbox.Pages.HtmlPage;

namespace Consentry.Sandbox.Pages;

/// <summary>The login and consent pages of an authorization request.</summary>
internal static class AuthorizationPages
{
    public const string RequestField = "request";

    public static IResult Login(
        HttpContext context, SandboxPlatform platform, string platformPath, IAntiforgery antiforgery, RegisteredClient client,
        string protectedRequest, string? username = null, bool invalidCredentials = false)
    {
        var hidden = HiddenFields(context, antiforgery, protectedRequest);
        var error = invalidCredentials
            ? """<p class="error" role="alert" id="login-error">Invalid credentials. Check your username and password and try again.</p>"""
            : "";
        var describedBy = invalidCredentials ? """ aria-describedby="login-error" aria-invalid="true" """ : " ";
        var autofocus = invalidCredentials ? "" : " autofocus";
        return Render(context, platform, "Sign in", $"""
            <h1>Sign in to {E(platform.Name)}</h1>
            <p><strong>{E(client.DisplayName)}</strong> wants to connect to your {E(platform.Category.ToLowerInvariant())} data.</p>
            {error}
            <form method="post" action="{E(platformPath)}/oauth/login">
            {hidden}
            <label for="username">Username</label>
            <input id="username" name="username" type="text" autocomplete="username" autocapitalize="none" spellcheck="false" required value="{E(username)}"{describedBy}{autofocus}>
            <label for="password">Password</label>
            <input id="password" name="password" type="password" autocomplete="current-password" required{(invalidCredentials ? " autofocus" : "")}>
            <button type="submit" class="primary">Sign in</button>
            </form>
            <details>
            <summary>Sandbox test credentials</summary>
            <table>
            <thead><tr><th scope="col">Username</th><th scope="col">Password</th><th scope="col">Outcome</th></tr></thead>
            <tbody>
            <tr><td>user_good</td><td>pass_good</td><td>authorizes</td></tr>
            <tr><td>user_bad</td><td>anything</td><td>invalid credentials</td></tr>
            <tr><td>user_deny</td><td>pass_good</td><td>cancels at the consent page</td></tr>
            <tr><td>user_error</td><td>pass_good</td><td>the token exchange fails</td></tr>
            </tbody>
            </table>
            <p class="muted">Add <code>+anything</code> (letters, digits, _ and -) to a username for a user with data of its own, e.g. user_good+test1.</p>
            </details>
            """);
    }

    public static IResult Consent(
        HttpContext context, SandboxPlatform platform, string platformPath, IAntiforgery antiforgery, RegisteredClient client,
        AuthorizationRequest request, string protectedRequest, TimeSpan? consentLifetime)
    {
        var hidden = HiddenFields(context, antiforgery, protectedRequest);
        var scopes = new StringBuilder();
        foreach (var scope in request.Scopes)
        {
            scopes.Append("<li>").Append(E(platform.FindScope(scope)?.Description ?? scope)).Append("</li>\n");
        }

        var returnTo = new Uri(request.RedirectUri);
        var lifetime = consentLifetime is { } span
            ? $"<p>This consent lasts <strong>{E(Describe(span))}</strong>. After that, {E(client.DisplayName)} must ask you again.</p>"
            : "";
        return Render(context, platform, "Allow access", $"""
            <h1>Allow {E(client.DisplayName)} to access your {E(platform.Name)} data?</h1>
            <p class="muted">Signed in as <strong>{E(request.Username)}</strong>.</p>
            <p>{E(client.DisplayName)} will be able to:</p>
            <ul>
            {scopes}</ul>
            {lifetime}
            <p class="muted">You will return to {E(returnTo.Authority)}. You can revoke this access at any time.</p>
            <div class="actions">
            <form method="post" action="{E(platformPath)}/oauth/consent/accept">
            {hidden}
            <button type="submit" class="primary">Allow access</button>
            </form>
            <form method="post" action="{E(platformPath)}/oauth/consent/deny">
            {hidden}
            <button type="submit" class="secondary">Deny</button>
            </form>
            </div>
            """, formsLeaveThisSite: true);
    }

    private static string HiddenFields(HttpContext context, IAntiforgery antiforgery, string protectedRequest)
    {
        var tokens = antiforgery.GetAndStoreTokens(context);
        return $"""
            <input type="hidden" name="{E(tokens.FormFieldName)}" value="{E(tokens.RequestToken)}">
            <input type="hidden" name="{RequestField}" value="{E(protectedRequest)}">
            """;
    }

    /// <summary>"90 days", "2 hours", "45 seconds": tests configure short lifetimes, people read long ones.</summary>
    internal static string Describe(TimeSpan span) => span switch
    {
        { TotalDays: >= 1 } when span.TotalDays % 1 == 0 => Plural((long)span.TotalDays, "day"),
        { TotalHours: >= 1 } when span.TotalHours % 1 == 0 => Plural((long)span.TotalHours, "hour"),
        { TotalMinutes: >= 1 } when span.TotalMinutes % 1 == 0 => Plural((long)span.TotalMinutes, "minute"),
        _ => Plural((long)Math.Ceiling(span.TotalSeconds), "second"),
    };

    private static string Plural(long n, string unit) => n == 1 ? $"1 {unit}" : $"{n} {unit}s";
}

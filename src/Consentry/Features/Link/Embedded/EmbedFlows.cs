using System.Globalization;
using Consentry.Core.Clients;
using Consentry.Features.Settings;
using Microsoft.AspNetCore.Mvc;

namespace Consentry.Features.Link.Embedded;

/// <summary>
/// An authorization started by the SDK remembers (in the OAuth flow's return parameters, under keys a Link URL's
/// query can never set: they start with <c>link.</c>) how to report back: to the popup's opener, or by sending the
/// whole page back to the app's return URL with the result in the fragment.
/// </summary>
public static class EmbedFlows
{
    public const string ModeKey = "link.embed";
    public const string OpenerKey = "link.opener";
    public const string ReturnKey = "link.return";

    /// <summary>The fragment parameter the SDK resumes from after a redirect: <c>#consentry-result={connectionId}:{statusCode}</c>.</summary>
    public const string ResultFragment = "consentry-result";

    public static Dictionary<string, string> ReturnParameters(EmbedTicket ticket)
    {
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [ModeKey] = ticket.Mode.ToString(),
            [OpenerKey] = ticket.Opener,
        };
        if (ticket.ReturnUrl is { } returnUrl)
        {
            parameters[ReturnKey] = returnUrl;
        }

        return parameters;
    }

    public static bool IsEmbedded(IReadOnlyDictionary<string, string> parameters) => parameters.ContainsKey(ModeKey);

    /// <summary>Where the browser goes once the platform sent the customer back to an SDK-started authorization.</summary>
    public static IActionResult Finish(Client client, Guid companyId, Guid? connectionId, int statusCode, IReadOnlyDictionary<string, string> parameters)
    {
        var status = statusCode.ToString(CultureInfo.InvariantCulture);
        if (parameters.GetValueOrDefault(ModeKey) == nameof(EmbedMode.Redirect)
            && parameters.GetValueOrDefault(ReturnKey) is { } returnUrl
            && AllowedReturnUrl(client, returnUrl) is { } allowed)
        {
            var withoutFragment = allowed.GetLeftPart(UriPartial.Query);
            return new RedirectResult($"{withoutFragment}#{ResultFragment}={connectionId}:{status}");
        }

        return new RedirectResult(
            $"/link/embed/result?companyId={companyId}&connectionId={connectionId}&status={status}&opener={Uri.EscapeDataString(parameters.GetValueOrDefault(OpenerKey) ?? "")}");
    }

    /// <summary>An absolute http(s) URL whose origin is one of the client's CORS allowed origins, or null.</summary>
    public static Uri? AllowedReturnUrl(Client client, string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && url.Length <= 2000
        && UrlRules.NormalizeOrigin(uri.GetLeftPart(UriPartial.Authority)) is { } origin && client.AllowedOrigins.Contains(origin)
            ? uri
            : null;
}

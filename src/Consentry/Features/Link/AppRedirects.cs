using System.Globalization;
using Consentry.Core.Clients;
using Consentry.Core.Companies;
using Consentry.Core.Connections;
using Consentry.Core.Link;

namespace Consentry.Features.Link;

/// <summary>Where the customer goes after the journey: the app's redirect (when allowed), or our own result page.</summary>
public sealed record RedirectDecision(Uri? Url, string? RefusedUrl)
{
    /// <summary>No redirect URL is configured: show Consentry's own page.</summary>
    public bool OwnPage => Url is null && RefusedUrl is null;
}

/// <summary>Fills the client's redirect template (Codat's reserved placeholders plus the Link URL's custom ones) and applies the allow-list.</summary>
public static class AppRedirects
{
    public static RedirectDecision Decide(Client client, Company company, Connection? connection, int statusCode, string statusText,
        IReadOnlyDictionary<string, string> custom)
    {
        var template = client.Profile.RedirectUrl;
        if (string.IsNullOrWhiteSpace(template))
        {
            return new RedirectDecision(null, null);
        }

        var reserved = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["clientId"] = client.Id.ToString(),
            ["companyId"] = company.Id.ToString(),
            ["connectionId"] = connection?.Id.ToString() ?? "",
            ["integrationId"] = connection?.IntegrationId.ToString() ?? "",
            ["sourceId"] = connection?.SourceId.ToString() ?? "",
            ["platform"] = connection?.PlatformKey ?? "",
            ["platformName"] = connection?.PlatformName ?? "",
            ["sourceType"] = connection?.SourceType.ToString() ?? "",
            ["statusCode"] = statusCode.ToString(CultureInfo.InvariantCulture),
            ["errorMessage"] = RedirectTemplate.ErrorMessage(statusCode),
            ["statusText"] = statusCode is 200 or 201 ? "" : statusText,
        };
        var url = RedirectTemplate.Fill(template, reserved, custom);
        return RedirectTemplate.Allowed(url, client.Profile.WhiteListUrls) is { } allowed
            ? new RedirectDecision(allowed, null)
            : new RedirectDecision(null, url);
    }

    /// <summary>The Link URL's own query parameters (custom placeholders), without our reserved ones.</summary>
    public static Dictionary<string, string> CustomParameters(IQueryCollection query) =>
        query.Where(q => !RedirectTemplate.Reserved.Contains(q.Key) && q.Key.Length <= 64 && !q.Key.StartsWith("link.", StringComparison.Ordinal))
            .Take(20)
            .ToDictionary(q => q.Key, q => q.Value.ToString() is { Length: <= 500 } v ? v : q.Value.ToString()[..500], StringComparer.Ordinal);
}

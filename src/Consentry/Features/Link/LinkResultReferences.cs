using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;

namespace Consentry.Features.Link;

/// <summary>
/// What Consentry's own result page shows, decided by the server: the company and connection (their names and the
/// app's branding are loaded from the database), the outcome, whether the app's redirect was refused, and the
/// correlation id of the request that ended the journey (the reference the customer quotes to support).
/// </summary>
public sealed record LinkResult(Guid CompanyId, Guid? ConnectionId, int StatusCode, bool RedirectRefused, string CorrelationId);

/// <summary>
/// Result references are encrypted and time-limited with Data Protection, so <c>/link/done</c> renders nothing a link's
/// query made up: a forged, altered or expired reference shows a neutral page.
/// </summary>
public sealed class LinkResultReferences(IDataProtectionProvider provider)
{
    /// <summary>Long enough to reload the page or come back to it later that day.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(1);

    private readonly ITimeLimitedDataProtector _protector =
        provider.CreateProtector("Consentry.LinkResult.v1").ToTimeLimitedDataProtector();

    public string Issue(LinkResult result) => _protector.Protect(JsonSerializer.Serialize(result), Lifetime);

    public LinkResult? Read(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length > 2000)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<LinkResult>(_protector.Unprotect(value));
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

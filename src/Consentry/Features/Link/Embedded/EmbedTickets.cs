using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;

namespace Consentry.Features.Link.Embedded;

/// <summary>How the SDK runs the platform's sign-in: in a popup (the default), or as a top-level redirect when the popup is blocked.</summary>
public enum EmbedMode
{
    Popup,
    Redirect,
}

/// <summary>
/// What a popup or a top-level redirect needs to start one authorization: issued to a holder of the company access
/// token, and carried by the browser to <c>/link/embed/authorize</c> where the OAuth flow (and its browser cookie) is
/// started first-party. <paramref name="Opener"/> is the origin the popup reports back to; <paramref name="ReturnUrl"/>
/// the page a redirect comes back to. Both were checked against the client's allowed origins when it was issued.
/// </summary>
public sealed record EmbedTicket(Guid ClientId, Guid CompanyId, Guid ConnectionId, EmbedMode Mode, string Opener, string? ReturnUrl,
    Core.Consents.ConsentCapture? Consent = null);

/// <summary>
/// Tickets are encrypted and time-limited with Data Protection (any instance sharing the key ring reads them). They are
/// short-lived rather than single use: a ticket only lets the browser holding it start a sign-in for a connection the
/// token holder could start anyway, and the OAuth flow it starts is itself single use and bound to that browser.
/// </summary>
public sealed class EmbedTickets(IDataProtectionProvider provider)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    private readonly ITimeLimitedDataProtector _protector =
        provider.CreateProtector("Consentry.EmbedTicket.v1").ToTimeLimitedDataProtector();

    public string Issue(EmbedTicket ticket) => _protector.Protect(JsonSerializer.Serialize(ticket), Lifetime);

    public EmbedTicket? Read(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length > 2000)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<EmbedTicket>(_protector.Unprotect(value));
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

using Consentry.Connectors.OAuth2;

namespace Consentry.Connectors;

/// <summary>
/// A platform whose own authorization is not an OAuth 2.0 code redirect (Plaid's Hosted Link): Consentry asks the
/// platform for a page to send the customer to, the platform sends the customer back to the completion URL (Consentry's
/// callback, carrying the flow's state), and Consentry then asks the platform what happened. The browser binding, the
/// single-use state, the consent capture, linking and re-consent are Link's, exactly as for OAuth 2.0.
/// </summary>
public interface IAuthorizationHandOff
{
    /// <summary>
    /// Opens a session at the platform. <see cref="HandOffContext.Existing"/> is the connection's grant when it has one
    /// (re-consent: the platform's update mode keeps the same item and access token).
    /// </summary>
    Task<HandOffStart> StartAsync(PlatformEndpoint platform, HandOffContext context, CancellationToken ct);

    /// <summary>
    /// The customer came back: reads the session's outcome with <paramref name="kept"/> (what <see cref="StartAsync"/>
    /// kept, decrypted) and answers the tokens, or the error (<c>access_denied</c> when the customer left).
    /// </summary>
    Task<TokenResult> FinishAsync(PlatformEndpoint platform, string kept, IReadOnlyDictionary<string, string> callback, CancellationToken ct);
}

/// <summary>Where the platform sends the customer back, an opaque id of the customer for the platform, the app's name, and the grant to renew.</summary>
public sealed record HandOffContext(string CompletionUrl, string CustomerId, string ClientName, PlatformGrant? Existing);

/// <summary>How opening the platform's session went.</summary>
public abstract record HandOffStart
{
    /// <summary>Send the customer to <see cref="Url"/>; <see cref="Kept"/> is stored encrypted with the flow for <see cref="IAuthorizationHandOff.FinishAsync"/>.</summary>
    public sealed record Started(string Url, string Kept) : HandOffStart;

    /// <summary>The platform refused or could not be asked; the customer goes back to the app with <see cref="Reason"/>.</summary>
    public sealed record Failed(string Reason) : HandOffStart;
}

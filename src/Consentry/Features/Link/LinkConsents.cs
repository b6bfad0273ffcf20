using Consentry.Core.Consents;
using Consentry.Core.Integrations;
using Consentry.Features.Link.Localization;

namespace Consentry.Features.Link;

/// <summary>
/// The consent step of the Link pages and the SDK: the text to show for a platform, and turning the customer's
/// agreement into a <see cref="ConsentCapture"/> that the OAuth flow carries until the connection is linked. An
/// agreement counts only for the text it was given to: the page posts back the hash of what it showed, and a text that
/// changed in between (new products, new wording) is shown again instead.
/// </summary>
public sealed class LinkConsents(ConsentLedger ledger, ConsentTextWriter texts, TimeProvider time)
{
    public async Task<RenderedConsent> ForLinkAsync(LinkContext link, string brand, IntegrationDefinition integration, CancellationToken ct) =>
        ConsentTextWriter.ForLink(link.Settings, brand, link.Company, integration, await ledger.CompanyProductsAsync(link.Company.Id, ct));

    /// <summary>The capture of an agreement to <paramref name="shown"/>, or null when the page showed another text; the text is stored now.</summary>
    public async Task<ConsentCapture?> AcceptAsync(LinkContext link, RenderedConsent shown, string? postedHash, HttpContext http, CancellationToken ct)
    {
        if (Agree(shown, postedHash, http) is not { } capture)
        {
            return null;
        }

        await texts.StoreAsync(link.Client.Id, shown, ct);
        return capture;
    }

    /// <summary>
    /// The capture of an agreement to <paramref name="shown"/>, or null when the page showed another text, without storing
    /// the text: for the pages that start a sign-in with it, whose flow stores the text in its own transaction
    /// (<see cref="OAuthHandOff.StartAsync"/>: one commit for the page step instead of two).
    /// </summary>
    public ConsentCapture? Agree(RenderedConsent shown, string? postedHash, HttpContext http) =>
        string.Equals(postedHash, shown.Hash, StringComparison.Ordinal) ? Capture(shown.Hash, shown.Version, shown.Products, http) : null;

    /// <summary>
    /// The SDK renders its consent screen in the browser (the app may override its texts): what it reports having shown
    /// is stored as the text, covering the products the server's own consent for that platform covers.
    /// </summary>
    public async Task<ConsentCapture?> AcceptFromSdkAsync(LinkContext link, string brand, IntegrationDefinition integration, string? shownText,
        HttpContext http, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(shownText))
        {
            return null;
        }

        var server = await ForLinkAsync(link, brand, integration, ct);
        var shown = server with { Text = shownText, Hash = ConsentTextWriter.HashOf(shownText) };
        await texts.StoreAsync(link.Client.Id, shown, ct);
        return Capture(shown.Hash, shown.Version, shown.Products, http);
    }

    private ConsentCapture Capture(string hash, int version, IReadOnlyList<string> products, HttpContext http)
    {
        var who = ConsentActorInfo.From(http, ConsentActor.Customer);
        return new ConsentCapture(hash, version, products, time.GetUtcNow().UtcDateTime, who.IpAddress, who.UserAgent, LinkLocales.Current);
    }
}

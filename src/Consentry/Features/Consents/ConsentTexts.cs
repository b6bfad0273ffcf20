using System.Security.Cryptography;
using System.Text;
using Consentry.Core.Companies;
using Consentry.Core.Consents;
using Consentry.Core.Integrations;
using Consentry.Core.Link;
using Consentry.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Consentry.Features.Consents;

/// <summary>A consent text exactly as shown to the customer, with what it covers.</summary>
public sealed record RenderedConsent(
    string Text, string Hash, int Version, IReadOnlyList<string> Products, IReadOnlyList<string> DataTypes);

/// <summary>
/// Writes the data-access consent a customer reads before signing in at a platform (or before sharing more data with a
/// new product), and keeps every text shown, once, by its SHA-256. The pages show <see cref="RenderedConsent.Text"/>
/// verbatim (<c>white-space: pre-line</c>), so the ledger's text is the text on the screen.
/// </summary>
public sealed class ConsentTexts(ConsentryDbContext db, TimeProvider time)
{
    /// <summary>The consent for linking <paramref name="integration"/>: every product of the company that reads from it, or (without products) every data type it offers.</summary>
    public static RenderedConsent ForLink(LinkSettings settings, string brand, Company company, IntegrationDefinition integration,
        IReadOnlyList<Product> products)
    {
        var offered = integration.DataTypes.Select(d => d.DataType).ToList();
        var covering = products.Select(p => (Product: p, Types: p.DataTypes.Intersect(offered, StringComparer.Ordinal).ToList()))
            .Where(p => p.Types.Count > 0).ToList();
        var dataTypes = products.Count == 0 ? offered : [.. covering.SelectMany(p => p.Types).Distinct(StringComparer.Ordinal)];
        var text = new StringBuilder()
            .Append(brand).Append(" asks ").Append(company.Name).Append(" for read-only access to its ").Append(integration.Name).Append(" data.\n\n");
        Append(text, settings, brand, covering, dataTypes);
        return Seal(text, settings, [.. covering.Select(c => c.Product.Identifier)], dataTypes);
    }

    /// <summary>The additional consent: data a Linked connection already gives access to, for products it was not consented for.</summary>
    public static RenderedConsent ForAdditional(LinkSettings settings, string brand, Company company, string platformName,
        IReadOnlyList<(Product Product, List<string> Types)> covering)
    {
        var dataTypes = covering.SelectMany(p => p.Types).Distinct(StringComparer.Ordinal).ToList();
        var text = new StringBuilder()
            .Append(brand).Append(" asks ").Append(company.Name).Append(" to share more of its ").Append(platformName)
            .Append(" data, for ").Append(covering.Count == 1 ? "a new product" : "new products").Append(". You stay connected: no new sign-in is needed.\n\n");
        Append(text, settings, brand, covering, dataTypes);
        return Seal(text, settings, [.. covering.Select(c => c.Product.Identifier)], dataTypes);
    }

    /// <summary>Stores the text (once per hash; concurrent writers of the same text are harmless).</summary>
    public async Task StoreAsync(Guid clientId, RenderedConsent consent, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        // A text is content-addressed and never changes, so a plain insert that ignores a duplicate is the whole story.
        await db.Database.ExecuteSqlInterpolatedAsync(
            $"""INSERT INTO consent_texts ("Hash", "ClientId", "Text", "Created") VALUES ({consent.Hash}, {clientId}, {consent.Text}, {now}) ON CONFLICT ("Hash") DO NOTHING""",
            ct);
    }

    public static string HashOf(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private static void Append(StringBuilder text, LinkSettings settings, string brand,
        IReadOnlyList<(Product Product, List<string> Types)> covering, List<string> dataTypes)
    {
        var texts = settings.Texts;
        text.Append("Purpose: ").Append(texts.ConsentPurpose ?? $"{brand} uses this data to assess and serve your business.").Append('\n');
        foreach (var (product, types) in covering)
        {
            text.Append("- ").Append(product.Name).Append(": ").Append(string.Join(", ", types)).Append('\n');
        }

        text.Append("Data shared: ").Append(dataTypes.Count == 0 ? "none" : string.Join(", ", dataTypes)).Append('\n')
            .Append("Access: ").Append(texts.ConsentAccess ?? "Read-only access. Nothing is changed in your accounts.").Append('\n')
            .Append("Retention: ").Append(texts.ConsentRetention ?? "Data is kept while you stay connected; you can ask for it to be deleted.");
        if (!string.IsNullOrWhiteSpace(texts.TermsAndConditions) || !string.IsNullOrWhiteSpace(texts.TermsAndConditionsUrl))
        {
            text.Append("\nTerms: ").Append(texts.TermsAndConditions ?? "").Append(string.IsNullOrWhiteSpace(texts.TermsAndConditionsUrl) ? "" : $" {texts.TermsAndConditionsUrl}");
        }

        text.Append("\nYou can withdraw this consent at any time.");
    }

    private static RenderedConsent Seal(StringBuilder text, LinkSettings settings, IReadOnlyList<string> products, IReadOnlyList<string> dataTypes)
    {
        var value = text.ToString();
        return new RenderedConsent(value, HashOf(value), settings.Texts.ConsentVersion, products, dataTypes);
    }
}

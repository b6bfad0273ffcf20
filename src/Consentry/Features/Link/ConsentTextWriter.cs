using System.Security.Cryptography;
using System.Text;
using Consentry.Core.Companies;
using Consentry.Core.Consents;
using Consentry.Core.Integrations;
using Consentry.Core.Link;
using Consentry.Core.Persistence;
using Consentry.Features.Link.Localization;
using Microsoft.EntityFrameworkCore;

namespace Consentry.Features.Link;

/// <summary>A consent text exactly as shown to the customer, with what it covers.</summary>
public sealed record RenderedConsent(
    string Text, string Hash, int Version, IReadOnlyList<string> Products, IReadOnlyList<string> DataTypes);

/// <summary>
/// Writes the data-access consent a customer reads before signing in at a platform (or before sharing more data with a
/// new product), and keeps every text shown, once, by its SHA-256. The pages show <see cref="RenderedConsent.Text"/>
/// verbatim (<c>white-space: pre-line</c>), so the ledger's text is the text on the screen.
/// </summary>
public sealed class ConsentTextWriter(ConsentryDbContext db, TimeProvider time)
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
            .Append(L("{0} asks {1} for read-only access to its {2} data.", brand, company.Name, integration.Name)).Append("\n\n");
        Append(text, settings, brand, covering, dataTypes);
        return Seal(text, settings, [.. covering.Select(c => c.Product.Identifier)], dataTypes);
    }

    /// <summary>The additional consent: data a Linked connection already gives access to, for products it was not consented for.</summary>
    public static RenderedConsent ForAdditional(LinkSettings settings, string brand, Company company, string platformName,
        IReadOnlyList<(Product Product, List<string> Types)> covering)
    {
        var dataTypes = covering.SelectMany(p => p.Types).Distinct(StringComparer.Ordinal).ToList();
        var text = new StringBuilder()
            .Append(covering.Count == 1
                ? L("{0} asks {1} to share more of its {2} data, for a new product. You stay connected: no new sign-in is needed.", brand, company.Name, platformName)
                : L("{0} asks {1} to share more of its {2} data, for new products. You stay connected: no new sign-in is needed.", brand, company.Name, platformName))
            .Append("\n\n");
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
        // The customer's language: the client's texts for it, the labels of the data types, not their ids.
        var texts = settings.TextsFor(LinkLocales.Current);
        text.Append(L("Purpose:")).Append(' ').Append(texts.ConsentPurpose ?? L("{0} uses this data to assess and serve your business.", brand)).Append('\n');
        foreach (var (product, types) in covering)
        {
            text.Append("- ").Append(product.Name).Append(": ").Append(Labels(types)).Append('\n');
        }

        text.Append(L("Data shared:")).Append(' ').Append(dataTypes.Count == 0 ? L("none") : Labels(dataTypes)).Append('\n')
            .Append(L("Access:")).Append(' ').Append(texts.ConsentAccess ?? L("Read-only access. Nothing is changed in your accounts.")).Append('\n')
            .Append(L("Retention:")).Append(' ').Append(texts.ConsentRetention ?? L("Data is kept while you stay connected; you can ask for it to be deleted."));
        if (!string.IsNullOrWhiteSpace(texts.TermsAndConditions) || !string.IsNullOrWhiteSpace(texts.TermsAndConditionsUrl))
        {
            text.Append('\n').Append(L("Terms:")).Append(' ').Append(texts.TermsAndConditions ?? "")
                .Append(string.IsNullOrWhiteSpace(texts.TermsAndConditionsUrl) ? "" : $" {texts.TermsAndConditionsUrl}");
        }

        text.Append('\n').Append(L("You can withdraw this consent at any time."));
    }

    private static string L(string english, params object[] arguments) => DataTypeLabels.Text(english, arguments);

    private static string Labels(IEnumerable<string> dataTypes) => string.Join(", ", dataTypes.Select(DataTypeLabels.Label));

    private static RenderedConsent Seal(StringBuilder text, LinkSettings settings, IReadOnlyList<string> products, IReadOnlyList<string> dataTypes)
    {
        var value = text.ToString();
        return new RenderedConsent(value, HashOf(value), settings.Texts.ConsentVersion, products, dataTypes);
    }
}

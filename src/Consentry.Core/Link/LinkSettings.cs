using Consentry.Core.Connections;

namespace Consentry.Core.Link;

/// <summary>A client's settings for the hosted Link pages (Codat keeps these in its portal; we also serve them at /settings/link).</summary>
public sealed class LinkSettings
{
    public const int MaxText = 2000;

    public bool ShowLandingPage { get; set; } = true;

    public bool ShowSandboxIntegrations { get; set; } = true;

    /// <summary>The "Secured by Consentry" badge.</summary>
    public bool ShowBadge { get; set; } = true;

    public string? CompanyName { get; set; }

    public string? LogoUrl { get; set; }

    public string PrimaryColor { get; set; } = "#4F46E5";

    /// <summary>Where the app's customers get help (an https page); the result pages link to it when a connection fails.</summary>
    public string? SupportUrl { get; set; }

    /// <summary>The app's privacy policy (an https page), linked from the Link pages' trust block.</summary>
    public string? PrivacyPolicyUrl { get; set; }

    public LinkCategories Categories { get; set; } = new();

    /// <summary>The languages the Link pages speak (the first is the fallback); client texts may be given in each.</summary>
    public static readonly IReadOnlyList<string> SupportedLocales = ["en", "fr", "de", "es", "nl"];

    public LinkTexts Texts { get; set; } = new();

    /// <summary>The categories' order on the connect page (keys: accounting, banking, commerce); unlisted ones follow in the usual order.</summary>
    public List<string>? CategoryOrder { get; set; }

    /// <summary>Where a category key stands in <see cref="CategoryOrder"/> (unlisted: after every listed one).</summary>
    public int CategoryRank(string key) => CategoryOrder?.IndexOf(key) is >= 0 and var rank ? rank : int.MaxValue;

    /// <summary>
    /// The texts in other languages, by locale (<c>fr</c>, <c>de</c>, <c>es</c>, <c>nl</c>, <c>en</c>): a customer reading
    /// in that language sees them; a text left empty there falls back to <see cref="Texts"/>, then to the built-in wording.
    /// </summary>
    public Dictionary<string, LinkTexts> LocalizedTexts { get; set; } = [];

    /// <summary>The texts a customer reading <paramref name="locale"/> sees, text by text.</summary>
    public LinkTexts TextsFor(string locale)
    {
        if (LocalizedTexts is null || !LocalizedTexts.TryGetValue(locale, out var local) || local is null)
        {
            return Texts;
        }

        return new LinkTexts
        {
            LandingTitle = local.LandingTitle ?? Texts.LandingTitle,
            LandingSubtitle = local.LandingSubtitle ?? Texts.LandingSubtitle,
            ConsentPurpose = local.ConsentPurpose ?? Texts.ConsentPurpose,
            ConsentAccess = local.ConsentAccess ?? Texts.ConsentAccess,
            ConsentRetention = local.ConsentRetention ?? Texts.ConsentRetention,
            TermsAndConditions = local.TermsAndConditions ?? Texts.TermsAndConditions,
            TermsAndConditionsUrl = local.TermsAndConditionsUrl ?? Texts.TermsAndConditionsUrl,
            AdditionalConsentTitle = local.AdditionalConsentTitle ?? Texts.AdditionalConsentTitle,
            ValueExchangeTitle = local.ValueExchangeTitle ?? Texts.ValueExchangeTitle,
            ValueExchange = local.ValueExchange ?? Texts.ValueExchange,
            ConsentVersion = Texts.ConsentVersion,
        };
    }

    /// <summary>
    /// Carries the consent wording's version over from the settings these replace, raised by one when the wording a
    /// customer reads changed in any language: the default texts or one locale's (a locale's own text, or the default it
    /// falls back to).
    /// </summary>
    public void CarryConsentVersion(LinkSettings? previous)
    {
        var version = previous?.Texts.ConsentVersion ?? 1;
        var locales = SupportedLocales.Concat(LocalizedTexts?.Keys ?? Enumerable.Empty<string>()).Concat(previous?.LocalizedTexts?.Keys ?? Enumerable.Empty<string>()).Distinct();
        var same = previous is null
            || (Texts.SameConsentWording(previous.Texts) && locales.All(l => TextsFor(l).SameConsentWording(previous.TextsFor(l))));
        Texts.ConsentVersion = same ? version : version + 1;
    }

    public CategorySettings? For(SourceType type) => type switch
    {
        SourceType.Accounting => Categories.Accounting,
        SourceType.Banking => Categories.Banking,
        SourceType.Commerce => Categories.Commerce,
        _ => null,
    };
}

public sealed class LinkCategories
{
    public CategorySettings Accounting { get; set; } = new();

    public CategorySettings Banking { get; set; } = new();

    public CategorySettings Commerce { get; set; } = new() { Optional = true };
}

public sealed class CategorySettings
{
    public bool Enabled { get; set; } = true;

    /// <summary>An optional category can be skipped and still counts as a completed journey.</summary>
    public bool Optional { get; set; }

    /// <summary>Offer "upload files instead" (PDF, CSV, XLSX) for this category.</summary>
    public bool FileUpload { get; set; }

    public string? FileUploadDescription { get; set; }
}

/// <summary>The journey's texts (Markdown-free plain text); empty ones fall back to the defaults.</summary>
public sealed class LinkTexts
{
    public string? LandingTitle { get; set; }

    public string? LandingSubtitle { get; set; }

    public string? ConsentPurpose { get; set; }

    public string? ConsentAccess { get; set; }

    public string? ConsentRetention { get; set; }

    public string? TermsAndConditions { get; set; }

    public string? TermsAndConditionsUrl { get; set; }

    /// <summary>The value exchange block's heading ("What you get"); the built-in one when empty.</summary>
    public string? ValueExchangeTitle { get; set; }

    /// <summary>What the customer gets for connecting, one benefit a line ("A decision in minutes"); no block when empty.</summary>
    public string? ValueExchange { get; set; }

    /// <summary>The title of the additional consent screen (Codat's <c>additionalConsents.title</c>).</summary>
    public string? AdditionalConsentTitle { get; set; }

    /// <summary>
    /// The version of the consent wording, recorded in the consent ledger with each consent. It is not set by the
    /// caller: saving texts whose consent wording differs from the previous one raises it (<see cref="LinkSettings.CarryConsentVersion"/>).
    /// </summary>
    public int ConsentVersion { get; set; } = 1;

    /// <summary>Whether a customer reads the same consent in both (purpose, access, retention, terms).</summary>
    public bool SameConsentWording(LinkTexts other) =>
        ConsentPurpose == other.ConsentPurpose && ConsentAccess == other.ConsentAccess && ConsentRetention == other.ConsentRetention
        && TermsAndConditions == other.TermsAndConditions && TermsAndConditionsUrl == other.TermsAndConditionsUrl;
}

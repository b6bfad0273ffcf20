namespace Consentry.Pages.Portal.Settings;

/// <summary>
/// The wording the Link pages show for a text left empty, so the settings page can show it (as each field's
/// placeholder) and preview it. The Link pages (Pages/Link/Company.cshtml, Features/Link/ConsentTextWriter.cs) hold the
/// same literals; a browser test compares this wording with what the customer's landing page shows.
/// </summary>
public static class LinkTextDefaults
{
    public static string LandingTitle(string brand) => $"Share your business data with {brand}";

    public const string LandingSubtitle =
        "Connect the platforms you use. It takes a few minutes, you sign in at each platform, and you can disconnect at any time.";

    public static string ConsentPurpose(string brand) => $"{brand} uses this data to assess and serve your business.";

    public const string ConsentAccess = "Read-only access. Nothing is changed in your accounts.";

    public const string ConsentRetention = "Data is kept while you stay connected; you can ask for it to be deleted.";

    public static string AdditionalConsentTitle(string brand) => $"{brand} asks to use more of your data";
}

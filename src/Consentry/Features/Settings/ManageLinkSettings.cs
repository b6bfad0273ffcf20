using Consentry.Core.Errors;
using Consentry.Core.Link;
using Consentry.Core.Persistence;
using Consentry.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace Consentry.Features.Settings;

/// <summary>
/// How the client's hosted Link pages look and behave: categories (on, optional, file upload), texts, landing page,
/// badge, colour, logo, support page. Read them, or save them whole (validated; the consent version carried over).
/// <see cref="LinkSettingsEndpoints"/> (<c>/settings/link</c>) and the portal's Link and Branding pages adapt the answers.
/// </summary>
internal static class ManageLinkSettings
{
    /// <summary>The client's settings, or the defaults when it never saved any.</summary>
    public static async Task<LinkSettings> GetAsync(ConsentryDbContext db, CurrentClient current, CancellationToken ct)
    {
        var settings = await db.Clients.AsNoTracking().Where(c => c.Id == current.Id).Select(c => c.LinkSettings).FirstAsync(ct);
        return settings ?? new LinkSettings();
    }

    public static async Task<Result<LinkSettings>> SaveAsync(LinkSettings? body, ConsentryDbContext db, CurrentClient current, CancellationToken ct)
    {
        if (body is null)
        {
            return Error.Validation("A JSON body with the Link settings is required (GET /settings/link shows the shape).");
        }

        var errors = Validate(body);
        if (errors.Count > 0)
        {
            return Error.Validation(string.Join(" ", errors), errors);
        }

        var client = await db.Clients.FirstAsync(c => c.Id == current.Id, ct);
        body.CarryConsentVersion(client.LinkSettings);
        client.LinkSettings = body;
        await db.SaveChangesAsync(ct);
        return body;
    }

    private static List<string> Validate(LinkSettings s)
    {
        var errors = new List<string>();
        if (!System.Text.RegularExpressions.Regex.IsMatch(s.PrimaryColor ?? "", "^#[0-9A-Fa-f]{6}$"))
        {
            errors.Add("primaryColor must be a hex colour like #4F46E5.");
        }

        foreach (var (name, url) in new[] { ("logoUrl", s.LogoUrl), ("supportUrl", s.SupportUrl), ("privacyPolicyUrl", s.PrivacyPolicyUrl), ("texts.termsAndConditionsUrl", s.Texts?.TermsAndConditionsUrl) }
            .Concat((s.LocalizedTexts ?? []).Select(l => ($"localizedTexts.{l.Key}.termsAndConditionsUrl", l.Value?.TermsAndConditionsUrl))))
        {
            if (!string.IsNullOrEmpty(url) && (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme != "https"))
            {
                errors.Add($"{name} must be an absolute https URL.");
            }
        }

        var texts = new[] { s.CompanyName, s.Categories?.Accounting?.FileUploadDescription,
            s.Categories?.Banking?.FileUploadDescription, s.Categories?.Commerce?.FileUploadDescription }
            .Concat(TextsOf(s.Texts)).Concat((s.LocalizedTexts ?? []).Values.SelectMany(TextsOf));
        if (s.LocalizedTexts?.Keys.FirstOrDefault(k => !LinkSettings.SupportedLocales.Contains(k)) is { } unknown)
        {
            errors.Add($"localizedTexts: '{unknown}' is not a supported locale ({string.Join(", ", LinkSettings.SupportedLocales)}).");
        }

        if (texts.Any(t => t is { Length: > LinkSettings.MaxText }))
        {
            errors.Add($"Texts must be at most {LinkSettings.MaxText} characters.");
        }

        if (s.Categories is null || s.Texts is null || s.Categories.Accounting is null || s.Categories.Banking is null || s.Categories.Commerce is null)
        {
            errors.Add("categories (accounting, banking, commerce) and texts are required.");
        }
        else if (!s.Categories.Accounting.Enabled && !s.Categories.Banking.Enabled && !s.Categories.Commerce.Enabled)
        {
            errors.Add("At least one category must be enabled.");
        }

        if (s.CategoryOrder is { } order && (order.Any(k => k is not ("accounting" or "banking" or "commerce")) || order.Distinct().Count() != order.Count))
        {
            errors.Add("categoryOrder may list accounting, banking and commerce, each once.");
        }

        return errors;
    }

    private static IEnumerable<string?> TextsOf(LinkTexts? t) => t is null ? [] :
        [t.AdditionalConsentTitle, t.LandingTitle, t.LandingSubtitle, t.ConsentPurpose, t.ConsentAccess, t.ConsentRetention, t.TermsAndConditions,
         t.ValueExchangeTitle, t.ValueExchange];
}

using System.Globalization;
using Microsoft.AspNetCore.Localization;
using Microsoft.Extensions.Localization;

namespace Consentry.Features.Link.Localization;

/// <summary>Marker type of the Link pages' shared texts (<c>LinkText.resx</c>, <c>LinkText.fr.resx</c>…). Keys are the English texts.</summary>
public sealed class LinkText;

/// <summary>
/// The languages of the Link pages, the SDK's pages and the manage page: English (the fallback), French, German,
/// Spanish and Dutch. The culture comes from <c>?locale=</c> (remembered in a cookie for the rest of the journey, whose
/// links and redirects do not carry it), then that cookie, then <c>Accept-Language</c>. Only <c>/link</c> requests are
/// localized: the API stays culture-invariant.
/// </summary>
public static class LinkLocales
{
    public const string QueryKey = "locale";

    public const string CookieName = "consentry-locale";

    public static IReadOnlyList<string> Supported => Core.Link.LinkSettings.SupportedLocales;

    /// <summary>The supported locale <paramref name="requested"/> names ("fr", "fr-BE", "FR"), or null.</summary>
    public static string? Match(string? requested)
    {
        if (string.IsNullOrWhiteSpace(requested) || requested.Length > 35)
        {
            return null;
        }

        var language = requested.Split('-', '_')[0].ToLowerInvariant();
        return Supported.Contains(language) ? language : null;
    }

    public static WebApplicationBuilder AddLinkLocalization(this WebApplicationBuilder builder)
    {
        builder.Services.AddLocalization();
        return builder;
    }

    /// <summary>Localizes the Link pages only (the culture also decides how their dates and numbers are written).</summary>
    public static WebApplication UseLinkLocalization(this WebApplication app)
    {
        var cultures = Supported.Select(LinkCultures.Create).ToList();
        var options = new RequestLocalizationOptions
        {
            DefaultRequestCulture = new RequestCulture(cultures[0]),
            SupportedCultures = cultures,
            SupportedUICultures = cultures,
            FallBackToParentCultures = true,
            FallBackToParentUICultures = true,
            RequestCultureProviders =
            [
                // ?locale=nl-BE means Dutch: the cultures have no parents in invariant mode, so the language is matched here.
                new CustomRequestCultureProvider(http => Task.FromResult(Match(http.Request.Query[QueryKey]) is { } q ? new ProviderCultureResult(q) : null)),
                new CustomRequestCultureProvider(http => Task.FromResult(Match(http.Request.Cookies[CookieName]) is { } l ? new ProviderCultureResult(l) : null)),
                new AcceptLanguageHeaderRequestCultureProvider(),
            ],
        };
        app.UseWhen(http => http.Request.Path.StartsWithSegments("/link"), branch =>
        {
            branch.Use(async (http, next) =>
            {
                // ?locale=fr chooses the language for the whole journey: the pages' own links and redirects drop the query.
                if (Match(http.Request.Query[QueryKey]) is { } chosen)
                {
                    http.Response.Cookies.Append(CookieName, chosen, new CookieOptions
                    {
                        Path = "/link", HttpOnly = true, SameSite = SameSiteMode.Lax, Secure = http.Request.IsHttps, IsEssential = true,
                    });
                }

                await next(http);
            });
            branch.UseRequestLocalization(options);
        });
        return app;
    }

    /// <summary>The current request's language ("en", "fr"…), as the ledger records it.</summary>
    public static string Current => Match(CultureInfo.CurrentUICulture.Name) ?? "en";
}

/// <summary>The Link pages' localizer with a typed name, so pages and models ask for it by one short type.</summary>
public static class LinkTextExtensions
{
    /// <summary>The localized text of <paramref name="english"/> with its arguments filled in (the key is the English text).</summary>
    public static string T(this IStringLocalizer<LinkText> l, string english, params object[] arguments) =>
        arguments.Length == 0 ? l[english].Value : l[english, arguments].Value;

    /// <summary>A category's title inside a sentence: lower case ("connect accounting"), except in German, where nouns keep their capital.</summary>
    public static string InSentence(string title)
    {
        // By the language's name: in invariant globalization mode every culture's own properties are the invariant one's.
        return LinkLocales.Current == "de" ? title : title.ToLower(CultureInfo.CurrentCulture);
    }

    /// <summary>"accounting and banking (or upload files)": the required categories still missing, in the customer's language.</summary>
    public static string MissingCategories(this IStringLocalizer<LinkText> l, IEnumerable<(string Title, bool FileUpload)> missing)
    {
        var names = missing.Select(c => InSentence(l.T(c.Title)) + (c.FileUpload ? l.T(" (or upload files)") : "")).ToList();
        return names.Count <= 1 ? string.Concat(names) : $"{string.Join(", ", names[..^1])}{l.T(" and ")}{names[^1]}";
    }

    /// <summary>
    /// A message from the journey's services in the reader's language. Its text arguments are looked up too (a credential
    /// field's label is one of our texts); a name or a number matches no key and stays as it is.
    /// </summary>
    public static string T(this IStringLocalizer<LinkText> l, Core.Errors.ReadableText text) =>
        l.T(text.Template, [.. text.Arguments.Select(a => a is string s ? l[s].Value : a ?? "")]);
}

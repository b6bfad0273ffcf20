using System.Reflection;
using Consentry.Core.Connections;
using Consentry.Core.Integrations;
using Consentry.Core.Link;
using Consentry.Core.Persistence;
using Consentry.Infrastructure.Tenancy;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Consentry.Features.Monitoring;

/// <summary>One check: <c>Done</c>, <c>NotSet</c> (a setting is missing) or <c>Attention</c> (set, but the data says look again).</summary>
public sealed record GoLiveItem(string Area, string Key, string Title, string State, string Detail, string FixUrl);

public sealed record GoLiveReport(int Score, int Total, IReadOnlyList<GoLiveItem> Items);

/// <summary>
/// The client's setup scored against the areas of Codat's "Optimize your auth flow" guide (the funnel; value exchange,
/// privacy, trust and support; platform selection; connection management), each item read from its configuration and
/// data, with the portal page that fixes it. Settings found by name (a privacy link, a value exchange text) are "not set"
/// while no such field exists, so the list never claims what the pages cannot show.
/// </summary>
public sealed class GoLiveChecklist(ConsentryDbContext db, IntegrationCatalogue catalogue, CurrentClient current, AuthFlowQuery flows, TimeProvider time)
{
    public const string Funnel = "Funnel";
    public const string Trust = "Value exchange, privacy, trust and support";
    public const string Platforms = "Platform selection";
    public const string Management = "Connection management";

    public async Task<GoLiveReport> RunAsync(CancellationToken ct)
    {
        var client = await db.Clients.AsNoTracking().FirstAsync(c => c.Id == current.Id, ct);
        var link = client.LinkSettings ?? new LinkSettings();
        var items = new List<GoLiveItem>
        {
            Item(Funnel, "redirectUrl", "Redirect URL after the journey", client.Profile.RedirectUrl is { Length: > 0 }, "Customers return to your app when they finish.", "/portal/settings/redirects"),
            Item(Funnel, "redirectAllowList", "Redirect allow-list", client.Profile.WhiteListUrls.Count > 0, "Only your own addresses may be redirect targets.", "/portal/settings/redirects"),
            await TrendAsync(ct),
            Item(Trust, "brandColour", "Brand colour", !string.Equals(link.PrimaryColor, new LinkSettings().PrimaryColor, StringComparison.OrdinalIgnoreCase), "The pages wear your colour, not the default.", "/portal/settings/branding"),
            Item(Trust, "logo", "Logo", link.LogoUrl is { Length: > 0 } || client.Profile.LogoUrl is { Length: > 0 }, "Customers see who asks for their data.", "/portal/settings/branding"),
            Item(Trust, "companyName", "Your name on the pages", link.CompanyName is { Length: > 0 }, "Without it the pages name your client account.", "/portal/settings/link"),
            Item(Trust, "valueExchange", "Value exchange text", Named(link, "ValueExchange") ?? link.Texts.LandingSubtitle is { Length: > 0 }, "Tell customers what they get for connecting.", "/portal/settings/link"),
            Item(Trust, "privacyLink", "Privacy policy link", Named(link, "Privacy") ?? false, "A link to how you handle their data.", "/portal/settings/link"),
            Item(Trust, "supportLink", "Support link", link.SupportUrl is { Length: > 0 }, "Where customers get help when a connection fails.", "/portal/settings/link"),
        };
        items.AddRange(await PlatformItemsAsync(link, ct));
        items.Add(Item(Management, "manageConnections", "Manage-connections page reachable", client.AllowedOrigins.Count > 0,
            "Your app's origin is allowed, so it can open /link/company/{id}/manage and the SDK's connections view.", "/portal/settings/redirects"));
        var webhook = await db.WebhookConsumers.AsNoTracking().AnyAsync(w => !w.Disabled, ct);
        items.Add(Item(Management, "webhookConsumer", "A webhook consumer", webhook, "Hear about connections and reads as they happen.", "/portal/settings/webhooks"));
        return new GoLiveReport(items.Count(i => i.State == "Done"), items.Count, items);
    }

    private async Task<List<GoLiveItem>> PlatformItemsAsync(LinkSettings link, CancellationToken ct)
    {
        var settings = await db.IntegrationSettings.AsNoTracking().ToDictionaryAsync(s => s.PlatformKey, ct);
        var enabled = new[] { SourceType.Accounting, SourceType.Banking, SourceType.Commerce }.Where(t => link.For(t)?.Enabled == true).ToList();
        var bare = enabled.Where(t => !catalogue.All.Any(i => i.SourceType == t && !i.IsSandbox && i.IsEnabledFor(settings.GetValueOrDefault(i.PlatformKey)))).ToList();
        var required = enabled.Where(t => link.For(t)?.Optional == false).ToList();
        return
        [
            Item(Platforms, "platformsPerCategory", "Real platforms in every category", bare.Count == 0,
                bare.Count == 0 ? "Every category offers at least one real platform." : $"No real platform enabled for: {string.Join(", ", bare)}.", "/portal/settings/integrations"),
            Item(Platforms, "fileUpload", "File upload fallback", required.Any(t => link.For(t)!.FileUpload),
                "Customers whose platform is missing can upload files instead.", "/portal/settings/link"),
        ];
    }

    /// <summary>Done when journeys completed in the last 4 weeks and the last week's rate is no more than 10 points below the week before.</summary>
    private async Task<GoLiveItem> TrendAsync(CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var overview = await flows.RunAsync(new AuthFlowFilter(today.AddDays(-27), today, null), ct);
        var rates = overview.Weekly.Where(w => w.CompletionRate is not null).Select(w => w.CompletionRate!.Value).ToList();
        var state = overview.Funnel.Completed == 0 ? "NotSet" : rates.Count >= 2 && rates[^1] < rates[^2] - 10 ? "Attention" : "Done";
        var detail = overview.Funnel.Completed == 0 ? "No journey completed in the last 4 weeks."
            : $"Completion rate {overview.CompletionRate} % over the last 4 weeks" + (state == "Attention" ? ", falling." : ".");
        return new GoLiveItem(Funnel, "completionTrend", "Completion trend", state, detail, "/portal/monitor/authflow");
    }

    /// <summary>Whether a text setting whose name contains <paramref name="fragment"/> is filled in; null when no such setting exists.</summary>
    private static bool? Named(LinkSettings link, string fragment)
    {
        var found = false;
        foreach (var (owner, type) in new (object, Type)[] { (link, typeof(LinkSettings)), (link.Texts, typeof(LinkTexts)) })
        {
            foreach (var p in type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                         .Where(p => p.PropertyType == typeof(string) && p.Name.Contains(fragment, StringComparison.OrdinalIgnoreCase)))
            {
                found = true;
                if (p.GetValue(owner) is string { Length: > 0 })
                {
                    return true;
                }
            }
        }

        return found ? false : null;
    }

    private static GoLiveItem Item(string area, string key, string title, bool done, string detail, string fixUrl) =>
        new(area, key, title, done ? "Done" : "NotSet", detail, fixUrl);

    public static async Task<Ok<GoLiveReport>> Get(GoLiveChecklist checklist, CancellationToken ct) => TypedResults.Ok(await checklist.RunAsync(ct));
}

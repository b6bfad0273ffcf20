using System.Net;
using System.Text.RegularExpressions;
using Consentry.Api.Tests.Infrastructure;
using Consentry.Api.Tests.Portal;

namespace Consentry.Api.Tests.Experiments;

/// <summary>The portal's funnel tools: a newcomer starts an experiment, reads it and promotes a variant; the checklist and health pages.</summary>
public abstract partial class PortalFunnelToolsTests(PortalApp app)
{
    [Fact]
    public async Task Experiment_StartedReadAndPromotedFromThePortal_ChangesTheLinkSettings()
    {
        using var session = app.Session();
        await session.SignInAsync(PortalApp.AdminEmail, PortalApp.AdminPassword);
        Assert.Contains("Start an experiment", await session.GetAsync("/portal/monitor/experiments"), StringComparison.Ordinal);

        using var created = await session.SubmitAsync("/portal/monitor/experiments", "/portal/monitor/experiments?handler=Create", new()
        {
            ["name"] = "Portal copy test", ["landingTitle"] = "Decided by the portal", ["categoryOrder"] = "banking, accounting",
        });
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var page = await session.GetAsync("/portal/monitor/experiments");
        Assert.DoesNotContain("Start an experiment", page, StringComparison.Ordinal); // one runs at a time
        Assert.Contains("data-variant=\"b\"", page, StringComparison.Ordinal);
        var id = ExperimentId().Match(page).Groups[1].Value;

        using var promoted = await session.SubmitAsync("/portal/monitor/experiments", "/portal/monitor/experiments?handler=Promote",
            new() { ["id"] = id, ["variant"] = "b" });

        Assert.Equal(HttpStatusCode.Redirect, promoted.StatusCode);
        var settings = await app.Alpha().GetAsync("/settings/link").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Decided by the portal", settings["texts"]!["landingTitle"]!.GetValue<string>());
        Assert.Contains("b promoted", await session.GetAsync("/portal/monitor/experiments"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChecklistAndHealthPages_ShowEachItemWithItsFix()
    {
        using var session = app.Session();
        await session.SignInAsync(PortalApp.AdminEmail, PortalApp.AdminPassword);

        var checklist = await session.GetAsync("/portal/monitor/golive");
        Assert.Contains("data-item=\"privacyLink\" data-state=\"NotSet\"", checklist, StringComparison.Ordinal);
        Assert.Contains("href=\"/portal/settings/webhooks\"", checklist, StringComparison.Ordinal);
        Assert.Contains("Platform health", await session.GetAsync("/portal/monitor/health"), StringComparison.Ordinal);
    }

    [GeneratedRegex("data-experiment=\"([0-9a-f-]{36})\"")]
    private static partial Regex ExperimentId();
}

public sealed class PortalFunnelToolsTests_Sqlite(SqlitePortalApp app) : PortalFunnelToolsTests(app), IClassFixture<SqlitePortalApp>;

public sealed class PortalFunnelToolsTests_Postgres(PostgresPortalApp app) : PortalFunnelToolsTests(app), IClassFixture<PostgresPortalApp>;

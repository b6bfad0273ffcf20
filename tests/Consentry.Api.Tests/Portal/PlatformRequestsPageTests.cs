using System.Net;
using Consentry.Api.Tests.Infrastructure;

namespace Consentry.Api.Tests.Portal;

/// <summary>Monitor › Platform requests: the client's "can't find yours?" requests by platform name (case-insensitive), newest first.</summary>
public abstract class PlatformRequestsPageTests(PortalApp app)
{
    [Fact]
    public async Task Page_GroupsByNameIgnoringCase_NewestFirst_AndShowsOnlyThisClientsRequests()
    {
        var alphaCompany = await app.Alpha().CreateCompanyAsync("Portal Requests Ltd");
        var betaCompany = await app.Beta().CreateCompanyAsync("Other Client Ltd");
        using var session = app.Session();
        await RequestAsync(session, alphaCompany, "Sage 50");
        await RequestAsync(session, betaCompany, "Wave Accounting");
        await RequestAsync(session, alphaCompany, "sage 50");
        await RequestAsync(session, alphaCompany, "FreeAgent");

        await session.SignInAsync(PortalApp.AdminEmail, PortalApp.AdminPassword);
        var page = await session.GetAsync("/portal/monitor/platformrequests");

        Assert.Contains("href=\"/portal/monitor/platformrequests\"", page, StringComparison.Ordinal);
        Assert.Contains("<tr data-platform-request=\"sage 50\"><td>sage 50</td><td>2</td>", page, StringComparison.Ordinal);
        Assert.Contains("<tr data-platform-request=\"freeagent\"><td>FreeAgent</td><td>1</td>", page, StringComparison.Ordinal);
        Assert.True(page.IndexOf("data-platform-request=\"freeagent\"", StringComparison.Ordinal) < page.IndexOf("data-platform-request=\"sage 50\"", StringComparison.Ordinal),
            "the most recently requested platform comes first");
        Assert.DoesNotContain("Wave Accounting", page, StringComparison.Ordinal);
    }

    /// <summary>Answers "can't find yours?" on the company's Link page as a customer would; each a minute after the last.</summary>
    private async Task RequestAsync(PortalSession session, string companyId, string platformName)
    {
        app.Time.Advance(TimeSpan.FromMinutes(1));
        using var response = await session.SubmitAsync($"/link/company/{companyId}?step=connect", $"/link/company/{companyId}?handler=RequestPlatform",
            new() { ["category"] = "accounting", ["platformName"] = platformName });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }
}

public sealed class PlatformRequestsPageTests_Sqlite(SqlitePortalApp app) : PlatformRequestsPageTests(app), IClassFixture<SqlitePortalApp>;

public sealed class PlatformRequestsPageTests_Postgres(PostgresPortalApp app) : PlatformRequestsPageTests(app), IClassFixture<PostgresPortalApp>;

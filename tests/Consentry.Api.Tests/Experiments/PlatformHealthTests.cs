using System.Net;
using Consentry.Api.Tests.Infrastructure;
using Consentry.Core.Connections;
using Consentry.Core.Link;
using Consentry.Core.Tenancy;
using Consentry.Features.Monitoring;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Consentry.Api.Tests.Experiments;

/// <summary>Platform health after failures recorded through the journey's rollup path, and the Link page's notice.</summary>
public abstract class PlatformHealthTests(LinkApp app)
{
    [Fact]
    public async Task FailedAuthorizations_MarkThePlatformDegraded_AndTheLinkPageSaysSoBesideIt()
    {
        var api = app.Alpha();
        var companyId = await api.CreateCompanyAsync("Health Check Ltd");
        using var browser = app.Browser();
        await browser.GoAsync($"/link/company/{companyId}?step=connect");
        Assert.DoesNotContain("data-platform-health", browser.Html, StringComparison.Ordinal);

        // Banking: 5 technical failures and 1 success (83 % failed). Accounting: 5 customers cancelled, which is not the platform's fault.
        for (var i = 0; i < PlatformHealth.MinimumSample; i++)
        {
            await FailAsync(Guid.NewGuid(), SourceType.Banking, "sbbk", "token_exchange_failed");
            await FailAsync(Guid.NewGuid(), SourceType.Accounting, "sbac", "cancelled");
        }

        await RecordAsync(Guid.NewGuid(), JourneyStep.Authorized, SourceType.Banking, "sbbk", null);

        var health = await api.GetAsync("/monitoring/platformHealth").ExpectAsync(HttpStatusCode.OK);
        var sbbk = health["integrations"]!.AsArray().Single(i => i!["platformKey"]!.GetValue<string>() == "sbbk")!;
        Assert.Equal((6L, 5L, 83.3, true), (sbbk["authorizations"]!.GetValue<long>(), sbbk["authorizationFailures"]!.GetValue<long>(),
            sbbk["authorizationFailureRate"]!.GetValue<double>(), sbbk["degraded"]!.GetValue<bool>()));
        Assert.DoesNotContain(health["integrations"]!.AsArray(), i => i!["platformKey"]!.GetValue<string>() == "sbac" && i["degraded"]!.GetValue<bool>());

        // The connect page keeps each client's answer for a while (it reads a day of the client's events): the first
        // view's answer stands until then, and the next view after it says so.
        await browser.GoAsync($"/link/company/{companyId}?step=connect");
        Assert.DoesNotContain("data-platform-health", browser.Html, StringComparison.Ordinal);
        app.Time.Advance(DegradedPlatformsCache.Lifetime + TimeSpan.FromSeconds(1));
        await browser.GoAsync($"/link/company/{companyId}?step=connect");
        Assert.Contains("data-platform-health=\"degraded\" data-platform=\"sbbk\"", browser.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("data-platform=\"sbac\"", browser.Html, StringComparison.Ordinal);
        // Another client's customers see nothing of Alpha's failures.
        var betaCompany = await app.Beta().CreateCompanyAsync("Other Client Ltd");
        await browser.GoAsync($"/link/company/{betaCompany}?step=connect");
        Assert.DoesNotContain("data-platform-health", browser.Html, StringComparison.Ordinal);
    }

    private async Task FailAsync(Guid companyId, SourceType type, string platform, string reason)
    {
        await RecordAsync(companyId, JourneyStep.OAuthStarted, type, platform, null);
        await RecordAsync(companyId, JourneyStep.Failed, type, platform, reason);
    }

    private async Task RecordAsync(Guid companyId, JourneyStep step, SourceType type, string platform, string? detail)
    {
        var clientId = await app.WithDbAsync(db => db.Clients.Where(x => x.Name == "Alpha").Select(x => x.Id).SingleAsync());
        await using var scope = app.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<ClientContext>().Set(clientId);
        var db = scope.ServiceProvider.GetRequiredService<Consentry.Core.Persistence.ConsentryDbContext>();
        db.JourneyEvents.Add(new JourneyEvent
        {
            Id = Guid.CreateVersion7(), CompanyId = companyId, Step = step, SourceType = type, PlatformKey = platform, Detail = detail,
            At = app.Time.GetUtcNow().UtcDateTime, ConnectionId = Guid.NewGuid(),
        });
        await scope.ServiceProvider.GetRequiredService<Consentry.Core.Persistence.ConsentryDbContext>().SaveChangesAsync(CancellationToken.None); // the rollups follow the save
    }
}

public sealed class PlatformHealthTests_Sqlite(SqliteLinkApp app) : PlatformHealthTests(app), IClassFixture<SqliteLinkApp>;

public sealed class PlatformHealthTests_Postgres(PostgresLinkApp app) : PlatformHealthTests(app), IClassFixture<PostgresLinkApp>;

using System.Net;
using Consentry.Api.Tests.Infrastructure;
using Consentry.Api.Tests.Persistence;
using Consentry.Core.Companies;
using Consentry.Core.Persistence;
using Consentry.Core.Tenancy;
using Consentry.Infrastructure.Http;
using Consentry.Querying;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Consentry.Api.Tests.Companies;

/// <summary>
/// A searched company list (a <c>~</c> term the trigram index serves) reads its page's ids with the exact total in one
/// statement (<c>COUNT(*) OVER ()</c>), then those companies: every page, its order and <c>totalResults</c> stay
/// those of the plain scan, for special and short terms, combined filters, tags, orderBy and pages past the end.
/// (Its own app: the names and creation times here are unique, so every order is total and pages compare exactly.)
/// </summary>
public abstract class CompanySearchPagingTests(RoundTripTests.CountingApp app) : IAsyncLifetime
{
    private const int PageSize = 3;

    private static readonly string[] Names =
    [
        "Harbour Freight Ltd", "harbour view", "HARBOUR MASTERS", "The Old Harbourside", "Habour Typo", "Harbour Ltd",
        "50% Off_Sale Co", "5000 Offsale", "back\\slash & Co", "Quote \"Q\" Traders", "Percent%Sign", "x_y_z Ltd",
        "Ünïcödé Straße GmbH", "ÜNÏCÖDÉ STRASSE", "naïve café", "İstanbul Deniz", "istanbul port", "🚀 Rocket Labs",
        "ab", "Abc", "xAyBz Ltd", "it's O'Brien", "Quayside Harbour Co", "harbourmaster ab",
    ];

    private static readonly string[] Queries =
    [
        "name~harbour", "name~HARB", "name~arbour", "name~ab", "name~a", "name~\"%\"", "name~_", "name~\"0% Off_\"",
        "name~nïc", "name~ünï", "name~\"\\sl\"", "name~quote", "name~\"nothing-like-this\"",
        "name~harbour && description~quay", "name~harbour || name~ab", "{name~istanbul || name~rocket} && name!=ab",
        "name~harbour && name~ltd", "description~café || name~\"\\sl\"", "name~harbour && created>2026-01-01",
        "description~arbour", "name~harbour && description!=quay",
    ];

    private static readonly RowKey<Company> ListKey = new(c => c.Id) { CountInSubquery = true };

    private static readonly string?[] Orders = [null, "name", "-name", "-created", "description,-created"];

    /// <summary>Seeds the companies once per app (xunit makes an instance per test): their names must stay unique.</summary>
    public async Task InitializeAsync()
    {
        var start = new DateTime(2026, 3, 1, 9, 0, 0, DateTimeKind.Utc);
        var seeded = await WithAlphaDbAsync(async db =>
        {
            if (await db.Companies.AnyAsync())
            {
                return false;
            }

            for (var i = 0; i < Names.Length; i++)
            {
                var company = new Company
                {
                    Id = Guid.CreateVersion7(),
                    Name = Names[i],
                    Description = i % 3 == 0 ? null : $"quay {Names[(i + 7) % Names.Length]}",
                    Created = start.AddMinutes(i % 2 == 0 ? i : -i), // not in insertion (rowid) order
                };
                company.ReplaceTags(new Dictionary<string, string> { ["region"] = i % 2 == 0 ? "uk" : "us" });
                db.Companies.Add(company);
            }

            await db.SaveChangesAsync();
            return true;
        });
        if (seeded)
        {
            await app.Beta().CreateCompanyAsync("Harbour of another client");
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task EveryPageOrderAndTotal_IsThePlainScans_ForEveryQuery()
    {
        var api = app.Alpha();
        var served = 0;
        foreach (var query in Queries)
        {
            foreach (var orderBy in Orders)
            {
                foreach (var tags in (string?[])[null, "region=uk"])
                {
                    var expected = await PlainAsync(query, orderBy, tags);
                    served += expected.Count;
                    for (var page = 1; page <= (expected.Count / PageSize) + 2; page++)
                    {
                        var url = $"/companies?page={page}&pageSize={PageSize}&query={Uri.EscapeDataString(query)}"
                            + (orderBy is null ? "" : $"&orderBy={Uri.EscapeDataString(orderBy)}")
                            + (tags is null ? "" : $"&tags={Uri.EscapeDataString(tags)}");
                        var body = await api.GetAsync(url).ExpectAsync(HttpStatusCode.OK);
                        var ids = body["results"]!.AsArray().Select(r => Guid.Parse(r!["id"]!.GetValue<string>()));
                        Assert.True(expected.Count == body["totalResults"]!.GetValue<int>(), $"{url}: total {body["totalResults"]}, plain {expected.Count}");
                        Assert.True(expected.Skip((page - 1) * PageSize).Take(PageSize).SequenceEqual(ids), $"{url}: not the plain scan's page");
                    }
                }
            }
        }

        Assert.True(served > 100, "the queries must match companies, or the comparisons prove nothing");
    }

    [Fact]
    public async Task SearchedList_ReadsPageIdsAndTotalInOneStatement()
    {
        var alpha = await app.WithDbAsync(db => db.Clients.Where(c => c.Name == "Alpha").Select(c => c.Id).SingleAsync());
        var search = app.Provider == DatabaseProvider.Sqlite ? "company_search" : "ILIKE";

        app.Statements.Watch(alpha);
        var body = await app.Alpha().GetAsync("/companies?pageSize=2&query=name~harbour").ExpectAsync(HttpStatusCode.OK);
        var statements = app.Statements.Stop(alpha);

        Assert.True(body["totalResults"]!.GetValue<int>() > 2);
        Assert.Single(statements, s => s.Contains(search, StringComparison.Ordinal));
        var head = Assert.Single(statements, s => s.Contains("COUNT(*) OVER ()", StringComparison.Ordinal));
        Assert.DoesNotContain(statements, s => s.Contains("COUNT(", StringComparison.Ordinal) && !s.Contains("OVER ()", StringComparison.Ordinal));
        if (app.Provider == DatabaseProvider.Postgres)
        {
            // The window counts in a subquery; the page's ORDER BY and LIMIT come after it, outside (ListCompanies says why).
            var window = head.IndexOf("COUNT(*) OVER ()", StringComparison.Ordinal);
            Assert.True(head.LastIndexOf("ORDER BY", StringComparison.Ordinal) > window, head);
            Assert.DoesNotContain("ORDER BY", head[..window], StringComparison.Ordinal);
        }

        // A term the index cannot serve keeps the plain page and COUNT: a window there would read every matching row.
        app.Statements.Watch(alpha);
        await app.Alpha().GetAsync("/companies?pageSize=2&query=name~ab").ExpectAsync(HttpStatusCode.OK);
        Assert.DoesNotContain(app.Statements.Stop(alpha), s => s.Contains("OVER (", StringComparison.Ordinal));
    }

    [Fact]
    public async Task IdsAndTotalStatement_QueryPlan_UsesTheTrigramIndex()
    {
        await WithAlphaDbAsync(async db =>
        {
            var filter = CompanyQueries.Properties.TryBuildFilter("name~harbour", CompanySearch.For(db)).Value!;
            static IOrderedQueryable<Company> InOrder(IQueryable<Company> q) => q.OrderBy(c => c.Created).ThenBy(c => c.Id);
            var head = InOrder(db.Companies.Where(filter)).Select(new RowKey<Company>(c => c.Id).WithTotal).Take(100);
            if (app.Provider == DatabaseProvider.Sqlite)
            {
                // The FTS5 table drives the statement: companies are looked up by rowid from its matches.
                var plan = await QueryPlans.ExplainAsync(db, head);
                Assert.Contains("VIRTUAL TABLE INDEX", plan, StringComparison.Ordinal);
                Assert.Contains("SEARCH c USING INTEGER PRIMARY KEY (rowid=?)", plan, StringComparison.Ordinal);
                Assert.DoesNotContain("(ClientId=?)", plan, StringComparison.Ordinal);

                // No memory map (DatabaseProvider's pragmas): per pooled connection, remapped as writes grow the file, it
                // cost far more on the write paths (Link journeys: 2.7 × the server CPU) than it saved here.
                await using var command = db.Database.GetDbConnection().CreateCommand();
                command.CommandText = "PRAGMA mmap_size";
                Assert.Equal(0L, Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                // The statement the list sends: the window over the trigram bitmap's matches in a subquery, sorted and
                // limited above it. In a flat statement PostgreSQL puts the window above the order, and at 100k companies
                // walks the client's Created index to feed it (docs/benchmarks.md, "Search at 100,000 companies").
                var filtered = db.Companies.IgnoreQueryFilters().Where(filter);
                var plan = await QueryPlans.ExplainAsync(db, ListKey.CountedPage(new Shaped<Company>(filtered, InOrder(filtered)), 0, 100));
                Assert.Contains("Bitmap Index Scan on \"IX_companies_Name_trgm\"", plan, StringComparison.Ordinal);
                var sort = plan.IndexOf("Sort", StringComparison.Ordinal);
                Assert.True(sort >= 0 && sort < plan.IndexOf("WindowAgg", StringComparison.Ordinal), plan);
            }

            return true;
        });
    }

    /// <summary>The ids the plain scan (no index) gives for the list, in the list's order.</summary>
    private Task<List<Guid>> PlainAsync(string query, string? orderBy, string? tags) => WithAlphaDbAsync(async db =>
    {
        var filtered = db.Companies.Where(CompanyQueries.Properties.TryBuildFilter(query).Value!);
        if (tags is not null)
        {
            filtered = filtered.Where(CompanyQueries.Tags.TryBuildFilter(tags).Value!);
        }

        var ordered = orderBy is null
            ? filtered.OrderBy(c => c.Created).ThenBy(c => c.Id)
            : QueryOrdering.Apply(filtered, orderBy, CompanyQueries.Properties).Value;
        return await ordered.Select(c => c.Id).ToListAsync();
    });

    private async Task<T> WithAlphaDbAsync<T>(Func<ConsentryDbContext, Task<T>> work)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ConsentryDbContext>();
        var alpha = await db.Clients.Where(c => c.Name == "Alpha").Select(c => c.Id).SingleAsync();
        scope.ServiceProvider.GetRequiredService<ClientContext>().Set(alpha);
        return await work(db);
    }
}

public sealed class CompanySearchPagingSqliteApp() : RoundTripTests.CountingApp(DatabaseProvider.Sqlite);

public sealed class CompanySearchPagingPostgresApp() : RoundTripTests.CountingApp(DatabaseProvider.Postgres);

public sealed class CompanySearchPagingTests_Sqlite(CompanySearchPagingSqliteApp app) : CompanySearchPagingTests(app), IClassFixture<CompanySearchPagingSqliteApp>;

public sealed class CompanySearchPagingTests_Postgres(CompanySearchPagingPostgresApp app) : CompanySearchPagingTests(app), IClassFixture<CompanySearchPagingPostgresApp>;

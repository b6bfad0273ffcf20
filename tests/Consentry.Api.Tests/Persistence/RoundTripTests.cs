using System.Collections.Concurrent;
using System.Data.Common;
using System.Net;
using Consentry.Api.Tests.Infrastructure;
using Consentry.Core.Persistence;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace Consentry.Api.Tests.Persistence;

/// <summary>
/// The statements a read sends, counted by an interceptor: a list whose first page is short knows its total without
/// a <c>COUNT</c>, and the answers stay what they were.
/// </summary>
public abstract class RoundTripTests(RoundTripTests.CountingApp app)
{
    private readonly HttpClient _api = app.Alpha();

    [Fact]
    public async Task ShortFirstPage_IsServedWithoutACount_AndItsTotalIsExact()
    {
        var companyId = await _api.CreateCompanyAsync();
        await _api.CreateConnectionAsync(companyId, "sbac");
        await _api.CreateConnectionAsync(companyId, "sbbk");

        app.Statements.Watch(Guid.Parse(companyId));
        var list = await _api.GetAsync($"/companies/{companyId}/connections").ExpectAsync(HttpStatusCode.OK);
        var statements = app.Statements.Stop(Guid.Parse(companyId));

        Assert.Equal(2, list["totalResults"]!.GetValue<int>());
        Assert.DoesNotContain(statements, s => s.Contains("COUNT(", StringComparison.OrdinalIgnoreCase));
        Assert.Single(statements); // the page itself: its rows also prove the company exists
    }

    [Fact]
    public async Task GetCompany_IsOneStatement_WithItsTagsConnectionsAndProducts()
    {
        var companyId = await _api.CreateCompanyAsync("One Trip Ltd", new { region = "uk", tier = "gold" });
        await _api.CreateConnectionAsync(companyId, "sbac");
        await _api.CreateConnectionAsync(companyId, "sbbk");

        app.Statements.Watch(Guid.Parse(companyId));
        var company = await _api.GetAsync($"/companies/{companyId}").ExpectAsync(HttpStatusCode.OK);
        var statements = app.Statements.Stop(Guid.Parse(companyId));

        Assert.Single(statements);
        Assert.Equal("One Trip Ltd", company["name"]!.GetValue<string>());
        Assert.Equal("gold", company["tags"]!["tier"]!.GetValue<string>());
        Assert.Equal(2, company["tags"]!.AsObject().Count);
        Assert.Equal(["sbac", "sbbk"], company["dataConnections"]!.AsArray().Select(c => c!["integrationKey"]!.GetValue<string>()).Order());
        await app.Beta().GetAsync($"/companies/{companyId}").ExpectErrorAsync(HttpStatusCode.NotFound, companyId);
        var unknown = Guid.NewGuid();
        await _api.GetAsync($"/companies/{unknown}").ExpectErrorAsync(HttpStatusCode.NotFound, unknown.ToString());
    }

    [Fact]
    public async Task ConnectionsOfAnUnknownOrEmptyCompany_AnswerAsBefore()
    {
        var empty = await _api.CreateCompanyAsync();
        var unknown = Guid.NewGuid();

        var none = await _api.GetAsync($"/companies/{empty}/connections").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(0, none["totalResults"]!.GetValue<int>());
        await _api.GetAsync($"/companies/{unknown}/connections").ExpectErrorAsync(HttpStatusCode.NotFound, unknown.ToString());
        await _api.GetAsync($"/companies/{unknown}/connections?query=nope~~").ExpectErrorAsync(HttpStatusCode.NotFound, unknown.ToString());
        await app.Beta().GetAsync($"/companies/{empty}/connections").ExpectErrorAsync(HttpStatusCode.NotFound, empty);
    }

    [Fact]
    public async Task FullPage_StillCountsForTheTotal()
    {
        var companyId = await _api.CreateCompanyAsync();
        await _api.CreateConnectionAsync(companyId, "sbac");
        await _api.CreateConnectionAsync(companyId, "sbbk");
        await _api.CreateConnectionAsync(companyId, "sbcm");

        var full = await _api.GetAsync($"/companies/{companyId}/connections?pageSize=2").ExpectAsync(HttpStatusCode.OK);
        var last = await _api.GetAsync($"/companies/{companyId}/connections?pageSize=2&page=2").ExpectAsync(HttpStatusCode.OK);
        var beyond = await _api.GetAsync($"/companies/{companyId}/connections?pageSize=2&page=3").ExpectAsync(HttpStatusCode.OK);

        Assert.Equal(3, full["totalResults"]!.GetValue<int>());
        Assert.Equal(3, last["totalResults"]!.GetValue<int>());
        Assert.Single(last["results"]!.AsArray());
        Assert.Equal(3, beyond["totalResults"]!.GetValue<int>());
        Assert.Empty(beyond["results"]!.AsArray());
    }

    /// <summary>The app with a <see cref="StatementLog"/> among its interceptors.</summary>
    public class CountingApp(DatabaseProvider provider) : ConsentryApp(provider)
    {
        public StatementLog Statements { get; } = new();

        protected override void ConfigureTestServices(IServiceCollection services) => services.AddSingleton<IInterceptor>(Statements);
    }

    /// <summary>Records the SQL of every command that has a watched id among its parameters.</summary>
    public sealed class StatementLog : DbCommandInterceptor
    {
        private readonly ConcurrentDictionary<Guid, ConcurrentQueue<string>> _watched = new();

        public void Watch(Guid id) => _watched[id] = new ConcurrentQueue<string>();

        public List<string> Stop(Guid id) => _watched.TryRemove(id, out var seen) ? [.. seen] : [];

        public override DbDataReader ReaderExecuted(DbCommand command, CommandExecutedEventData eventData, DbDataReader result)
        {
            Record(command);
            return result;
        }

        public override ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData, DbDataReader result, CancellationToken cancellationToken = default)
        {
            Record(command);
            return ValueTask.FromResult(result);
        }

        public override ValueTask<object?> ScalarExecutedAsync(DbCommand command, CommandExecutedEventData eventData, object? result, CancellationToken cancellationToken = default)
        {
            Record(command);
            return ValueTask.FromResult(result);
        }

        private void Record(DbCommand command)
        {
            foreach (DbParameter parameter in command.Parameters)
            {
                var value = parameter.Value switch
                {
                    Guid g => g,
                    string s when Guid.TryParse(s, out var parsed) => parsed,
                    _ => Guid.Empty,
                };
                if (value != Guid.Empty && _watched.TryGetValue(value, out var seen))
                {
                    seen.Enqueue(command.CommandText);
                }
            }
        }
    }
}

public sealed class RoundTripSqliteApp() : RoundTripTests.CountingApp(DatabaseProvider.Sqlite);

public sealed class RoundTripPostgresApp() : RoundTripTests.CountingApp(DatabaseProvider.Postgres);

public sealed class RoundTripTests_Sqlite(RoundTripSqliteApp app) : RoundTripTests(app), IClassFixture<RoundTripSqliteApp>;

public sealed class RoundTripTests_Postgres(RoundTripPostgresApp app) : RoundTripTests(app), IClassFixture<RoundTripPostgresApp>;

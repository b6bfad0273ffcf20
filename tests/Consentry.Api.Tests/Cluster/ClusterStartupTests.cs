using System.Net;
using Consentry.Api.Tests.Infrastructure;
using Consentry.Api.Tests.Persistence;
using Consentry.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Consentry.Api.Tests.Cluster;

/// <summary>Several instances starting at once on an empty PostgreSQL database migrate it once and all become ready.</summary>
public sealed class ClusterStartupTests
{
    [Fact]
    public async Task ThreeInstancesStartAtOnce_OnAnEmptyDatabase_AllReady_SchemaMigratedOnce()
    {
        await using var cluster = await TestCluster.StartAsync(3);

        using var http = new HttpClient();
        for (var i = 0; i < cluster.Count; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"{cluster.InstanceUrl(i)}/healthz/ready")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"{cluster.InstanceUrl(i)}/healthz/live")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"{cluster.InstanceUrl(i)}/healthz")).StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"{cluster.Url}/healthz/ready")).StatusCode);
        await cluster.Api().GetAsync("/companies").ExpectAsync(HttpStatusCode.OK);

        var (known, applied, clients, keys, admins) = await cluster.WithDbAsync(async db => (
            db.Database.GetMigrations().ToList(),
            (await db.Database.GetAppliedMigrationsAsync()).ToList(),
            await db.Clients.IgnoreQueryFilters().CountAsync(),
            await db.ApiKeys.IgnoreQueryFilters().CountAsync(),
            await db.PortalUsers.IgnoreQueryFilters().CountAsync()));
        Assert.Equal(known, applied);
        Assert.Equal(1, clients);
        Assert.Equal(1, keys);
        Assert.Equal(1, admins);

        var migrated = await cluster.WithDbAsync(db => MigrationsTests.DescribeAsync(db.Database.GetDbConnection(), DatabaseProvider.Postgres));
        Assert.Equal(await MigrationsTests.ModelSchemaAsync(DatabaseProvider.Postgres), migrated);
    }

    [Fact]
    public async Task Readiness_WithTheDatabaseGone_Is503_WhileLivenessStays200()
    {
        await using var cluster = await TestCluster.StartAsync(1);
        using var http = new HttpClient();
        // Take the database away from under the running instance (from another database: not one's own).
        var name = new Npgsql.NpgsqlConnectionStringBuilder(cluster.ConnectionString).Database!;
        var admin = new Npgsql.NpgsqlConnectionStringBuilder(cluster.ConnectionString) { Database = "postgres", Pooling = false }.ToString();
        await using (var connection = new Npgsql.NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            // ALTER DATABASE takes no parameters; the name is the test's own database, not input.
            await using var refuse = new Npgsql.NpgsqlCommand($"ALTER DATABASE \"{name}\" ALLOW_CONNECTIONS false", connection);
            await refuse.ExecuteNonQueryAsync();
            await using var terminate = new Npgsql.NpgsqlCommand("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = @name", connection);
            terminate.Parameters.AddWithValue("name", name);
            await terminate.ExecuteNonQueryAsync();
        }

        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await http.GetAsync($"{cluster.InstanceUrl(0)}/healthz/ready")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"{cluster.InstanceUrl(0)}/healthz/live")).StatusCode);
    }
}

using System.Net.Http.Json;
using Consentry.Api.Tests.Infrastructure;
using Consentry.Core.Persistence;
using Consentry.Core.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Consentry.Api.Tests.Persistence;

/// <summary>
/// The DbContext is pooled: one instance serves many scopes in turn. Its tenant (the query filters and the write
/// guard) must be the current scope's, never the previous renter's.
/// </summary>
public abstract class PooledContextTests(ConsentryApp app)
{
    [Fact]
    public async Task RentedAgain_TheContextActsForTheNewScopeOnly()
    {
        var (alphaCompany, alphaId, betaId) = await ArrangeAsync();

        // Alpha's scope sees its company, then returns the context to the pool.
        DbContextId used;
        await using (var alpha = app.Services.CreateAsyncScope())
        {
            alpha.ServiceProvider.GetRequiredService<ClientContext>().Set(alphaId);
            var db = alpha.ServiceProvider.GetRequiredService<ConsentryDbContext>();
            Assert.True(await db.Companies.AnyAsync(c => c.Id == alphaCompany));
            used = db.ContextId;
        }

        // Beta's scope gets that same instance back (found by draining the pool) and sees none of Alpha's rows.
        var (scopes, reused) = await RentUntilAsync(used.InstanceId, betaId);
        try
        {
            Assert.True(used.Lease < reused.ContextId.Lease, "the pool handed out the same lease twice");
            Assert.False(await reused.Companies.AnyAsync(c => c.Id == alphaCompany));
            Assert.False(await reused.Companies.AnyAsync(c => c.ClientId == alphaId));
        }
        finally
        {
            foreach (var scope in scopes)
            {
                await scope.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task RentedFromTheFactoryWithoutATenant_AContextSeesNoTenantRows()
    {
        var (alphaCompany, alphaId, _) = await ArrangeAsync();
        await using (var alpha = app.Services.CreateAsyncScope())
        {
            alpha.ServiceProvider.GetRequiredService<ClientContext>().Set(alphaId);
            Assert.True(await alpha.ServiceProvider.GetRequiredService<ConsentryDbContext>().Companies.AnyAsync(c => c.Id == alphaCompany));
        }

        // Every instance in the pool has been returned by a scope with a tenant; none may keep it.
        var factory = app.Services.GetRequiredService<IDbContextFactory<ConsentryDbContext>>();
        var rented = new List<ConsentryDbContext>();
        try
        {
            for (var i = 0; i < 32; i++)
            {
                var db = factory.CreateDbContext();
                rented.Add(db);
                Assert.False(await db.Companies.AnyAsync());
            }
        }
        finally
        {
            foreach (var db in rented)
            {
                await db.DisposeAsync();
            }
        }
    }

    private async Task<(Guid AlphaCompany, Guid AlphaId, Guid BetaId)> ArrangeAsync()
    {
        var created = await app.Alpha().PostAsJsonAsync("/companies", new { name = "Pooled Co" });
        created.EnsureSuccessStatusCode();
        var company = (await created.Content.ReadFromJsonAsync<IdOnly>())!.Id;
        var ids = await app.WithDbAsync(db => db.Clients.AsNoTracking().ToDictionaryAsync(c => c.Name, c => c.Id));
        return (company, ids["Alpha"], ids["Beta"]);
    }

    /// <summary>
    /// Rents contexts (each in its own open scope acting for <paramref name="tenant"/>) until the instance
    /// <paramref name="instanceId"/> comes back. Background workers may hold it for a moment, so this is bounded, not exact.
    /// </summary>
    private async Task<(List<AsyncServiceScope> Scopes, ConsentryDbContext Context)> RentUntilAsync(Guid instanceId, Guid tenant)
    {
        var scopes = new List<AsyncServiceScope>();
        for (var attempt = 0; attempt < 2000; attempt++)
        {
            var scope = app.Services.CreateAsyncScope();
            scopes.Add(scope);
            scope.ServiceProvider.GetRequiredService<ClientContext>().Set(tenant);
            var db = scope.ServiceProvider.GetRequiredService<ConsentryDbContext>();
            if (db.ContextId.InstanceId == instanceId)
            {
                return (scopes, db);
            }

            if (scopes.Count >= 300)
            {
                // The pool is drained and the instance was not in it (a worker held it): hand everything back, try again.
                foreach (var s in scopes)
                {
                    await s.DisposeAsync();
                }

                scopes.Clear();
                await Task.Delay(20);
            }
        }

        throw new InvalidOperationException("The pooled context was never rented again: is the DbContext pooled?");
    }

    private sealed record IdOnly(Guid Id);
}

public sealed class PooledContextTests_Sqlite(SqliteApp app) : PooledContextTests(app), IClassFixture<SqliteApp>;

public sealed class PooledContextTests_Postgres(PostgresApp app) : PooledContextTests(app), IClassFixture<PostgresApp>;

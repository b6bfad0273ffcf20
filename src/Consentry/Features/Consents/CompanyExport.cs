using System.Linq.Expressions;
using Consentry.Core.Companies;
using Consentry.Core.Persistence;
using Consentry.Features.Companies;
using Consentry.Infrastructure.Errors;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Consentry.Features.Consents;

/// <summary>Everything Consentry holds about one company, table by table (secrets withheld: they are named, not shown).</summary>
public sealed record CompanyExportResponse(Guid CompanyId, DateTime Generated, IReadOnlyDictionary<string, List<Dictionary<string, object?>>> Tables);

/// <summary>
/// <c>GET /companies/{companyId}/export</c> (GDPR access request): every row of every table that is about the company,
/// found from the EF model rather than a hand-kept list, so a table added later is exported without anyone remembering
/// to: rows with the company's <c>CompanyId</c>, rows of its connections (<c>ConnectionId</c>), and the company itself.
/// Encrypted secrets and hashes are withheld (their presence is shown); the consent texts the ledger refers to are included.
/// </summary>
public static class CompanyExport
{
    public const string Withheld = "[withheld]";

    public static async Task<Results<Ok<CompanyExportResponse>, CodatError>> Handle(
        Guid companyId, ConsentryDbContext db, TimeProvider time, CancellationToken ct)
    {
        if (!await db.CompanyExistsAsync(companyId, ct))
        {
            return new CodatError(CompanyLoading.NotFound(companyId));
        }

        var connectionIds = await db.Connections.Where(c => c.CompanyId == companyId).Select(c => c.Id).ToListAsync(ct);
        var tables = new SortedDictionary<string, List<Dictionary<string, object?>>>(StringComparer.Ordinal);
        foreach (var entity in AboutACompany(db.Model))
        {
            var rows = typeof(CompanyExport).GetMethod(nameof(RowsAsync), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
                .MakeGenericMethod(entity.ClrType)
                .Invoke(null, [db, entity, companyId, connectionIds, ct]) as Task<List<Dictionary<string, object?>>>;
            tables[entity.GetTableName()!] = await rows!;
        }

        var hashes = tables["consent_records"].Select(r => r["TextHash"]).OfType<string>().Distinct().ToList();
        tables["consent_texts"] = [.. (await db.ConsentTexts.AsNoTracking().Where(t => hashes.Contains(t.Hash)).ToListAsync(ct))
            .Select(t => new Dictionary<string, object?> { ["Hash"] = t.Hash, ["Text"] = t.Text, ["Created"] = t.Created })];
        return TypedResults.Ok(new CompanyExportResponse(companyId, time.GetUtcNow().UtcDateTime, tables));
    }

    /// <summary>
    /// The entity types whose rows are about a company: the company, and those with a CompanyId or ConnectionId. Keyless
    /// ones are left out: they are read-only views of other tables (SQLite's company search index copies the company's
    /// name and description, which the company's own row already exports).
    /// </summary>
    public static IEnumerable<IEntityType> AboutACompany(IModel model) =>
        model.GetEntityTypes().Where(e => !e.IsOwned() && e.GetTableName() is not null && e.FindPrimaryKey() is not null
            && (e.ClrType == typeof(Company) || e.FindProperty("CompanyId") is not null || e.FindProperty("ConnectionId") is not null));

    private static async Task<List<Dictionary<string, object?>>> RowsAsync<T>(
        ConsentryDbContext db, IEntityType entity, Guid companyId, List<Guid> connectionIds, CancellationToken ct)
        where T : class
    {
        var row = Expression.Parameter(typeof(T), "row");
        var key = entity.ClrType == typeof(Company) ? entity.FindProperty("Id")! : entity.FindProperty("CompanyId");
        Expression match;
        if (key is not null)
        {
            match = Expression.Equal(Expression.Convert(Property(row, key), typeof(Guid?)), Expression.Constant((Guid?)companyId, typeof(Guid?)));
        }
        else
        {
            var connection = entity.FindProperty("ConnectionId")!;
            var contains = typeof(Enumerable).GetMethods().First(m => m.Name == nameof(Enumerable.Contains) && m.GetParameters().Length == 2)
                .MakeGenericMethod(typeof(Guid?));
            match = Expression.Call(contains, Expression.Constant(connectionIds.Select(id => (Guid?)id).ToList()),
                Expression.Convert(Property(row, connection), typeof(Guid?)));
        }

        var rows = await db.Set<T>().AsNoTracking().Where(Expression.Lambda<Func<T, bool>>(match, row)).ToListAsync(ct);
        var properties = entity.GetProperties().Where(p => !p.IsShadowProperty()).ToList();
        return [.. rows.Select(r => properties.ToDictionary(p => p.Name, p => IsSecret(p) ? (p.GetGetter().GetClrValue(r) is null ? null : Withheld) : p.GetGetter().GetClrValue(r)))];
    }

    private static MethodCallExpression Property(ParameterExpression row, IProperty property) =>
        Expression.Call(typeof(EF).GetMethod(nameof(EF.Property))!.MakeGenericMethod(property.ClrType), row, Expression.Constant(property.Name));

    /// <summary>Encrypted values (<c>Protected…</c>) and hashes (of states, browsers, keys) are never exported.</summary>
    private static bool IsSecret(IProperty property) =>
        property.Name.StartsWith("Protected", StringComparison.Ordinal) || property.ClrType == typeof(byte[]);
}

using System.Text.Json;
using Consentry.Core.Persistence;
using Consentry.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Consentry.Infrastructure.Work;

/// <summary>
/// The heartbeat's statement: renews, in one UPDATE, every lease of a table that is still held under the token it was
/// claimed with, and returns the ids renewed. The held rows travel as one JSON parameter (as the record upserts do), the
/// ids select by primary key and the token match is the fence: a row claimed by anyone else meanwhile is not touched.
/// </summary>
public static class LeaseRenewal
{
    /// <summary>A table with a lease: its name and its owner and expiry columns (constants of ours, never input).</summary>
    public sealed record LeasedTable(string Name, string OwnerColumn, string ExpiresColumn);

    public static readonly LeasedTable Datasets = new("datasets", "LeaseOwner", "LeaseExpiresAt");

    public static readonly LeasedTable WebhookDeliveries = new("webhook_deliveries", "LeaseOwner", "LeaseExpiresAt");

    public static readonly LeasedTable KeyRotations = new("key_rotations", "LeaseOwner", "LeaseExpires");

    /// <summary>
    /// A claim's condition that skips the rows <paramref name="held"/> by this worker (<c>@held</c>, from
    /// <see cref="HeldJson"/>): its own work is renewed by its heartbeat, never claimed again by itself.
    /// </summary>
    public static string NotHeld(bool postgres, string idColumn) => postgres
        ? $"""{idColumn} NOT IN (SELECT CAST(x AS uuid) FROM jsonb_array_elements_text(CAST(@held AS jsonb)) AS x)"""
        : $"""{idColumn} NOT IN (SELECT value FROM json_each(@held))""";

    public static string HeldJson(IReadOnlyCollection<Guid> held, bool postgres) =>
        JsonSerializer.Serialize(held.Select(id => postgres ? id.ToString() : id.ToString().ToUpperInvariant()));

    public static Task<List<Guid>> RenewAsync(ConsentryDbContext db, LeasedTable table, IReadOnlyCollection<(Guid Id, string Token)> held, DateTime until, CancellationToken ct)
    {
        var postgres = db.Database.IsPostgres();
        var rows = JsonSerializer.Serialize(held.Select(h => new Dictionary<string, string>
        {
            ["i"] = postgres ? h.Id.ToString() : h.Id.ToString().ToUpperInvariant(), ["o"] = h.Token,
        }));
        var sql = postgres
            ? $"""
              UPDATE {table.Name} t SET "{table.ExpiresColumn}" = @until
              WHERE t."Id" IN (SELECT (h->>'i')::uuid FROM jsonb_array_elements(CAST(@held AS jsonb)) AS h)
                AND EXISTS (SELECT 1 FROM jsonb_array_elements(CAST(@held AS jsonb)) AS h
                            WHERE (h->>'i')::uuid = t."Id" AND h->>'o' = t."{table.OwnerColumn}")
              RETURNING t."Id"
              """
            : $"""
              UPDATE {table.Name} SET "{table.ExpiresColumn}" = @until
              WHERE "Id" IN (SELECT json_extract(value, '$.i') FROM json_each(@held))
                AND EXISTS (SELECT 1 FROM json_each(@held) AS h
                            WHERE json_extract(h.value, '$.i') = {table.Name}."Id" AND json_extract(h.value, '$.o') = {table.Name}."{table.OwnerColumn}")
              RETURNING "Id"
              """;
        return RawSql.ReadIdsAsync(db, sql, new Dictionary<string, object?> { ["until"] = until, ["held"] = rows }, ct);
    }
}

using System.Data.Common;
using Consentry.Api.Tests.Sync;
using Consentry.Core.Persistence;
using Consentry.Core.Security;
using Consentry.Features.KeyRing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace Consentry.Api.Tests.KeyRing;

/// <summary>The sync host (Kestrel, sandbox, workers) with small re-encryption batches and a fast ring check.</summary>
public class KeysApp(DatabaseProvider provider, bool runJob) : SyncApp(provider)
{
    public const int LeaseSeconds = 30;

    /// <summary>A writer that gets in between the job's read of a row and its rewrite (see the concurrency test).</summary>
    public ConcurrentWriter Writer { get; } = new();

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings)
    {
        ["Consentry:Keys:RunWorker"] = runJob ? "true" : "false",
        ["Consentry:Keys:BatchSize"] = "2",
        ["Consentry:Keys:PollMilliseconds"] = "50",
        ["Consentry:Keys:LeaseSeconds"] = LeaseSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Consentry:Keys:RingCheckMilliseconds"] = "100",
    };

    protected override void ConfigureTestServices(IServiceCollection services)
    {
        base.ConfigureTestServices(services);
        services.AddSingleton<IInterceptor>(Writer);
    }

    public async Task<KeyRotation> StartRotationAsync(bool revokeOldKeys)
    {
        await using var scope = Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<KeyRotator>().StartAsync(revokeOldKeys, CancellationToken.None);
    }

    public Task<KeyRotation> RotationAsync(Guid id) => WithDbAsync(db => db.KeyRotations.AsNoTracking().SingleAsync(r => r.Id == id));

    /// <summary>Every stored ciphertext, with where it is.</summary>
    public Task<List<(string Where, string Payload)>> CiphertextsAsync() => WithDbAsync(async db =>
    {
        var all = new List<(string, string)>();
        foreach (var t in await db.ConnectionTokens.IgnoreQueryFilters().AsNoTracking().ToListAsync())
        {
            all.Add(($"connection_tokens/{t.ConnectionId}/access", t.ProtectedAccessToken));
            if (t.ProtectedRefreshToken is { } refresh)
            {
                all.Add(($"connection_tokens/{t.ConnectionId}/refresh", refresh));
            }
        }

        all.AddRange((await db.OAuthFlows.IgnoreQueryFilters().AsNoTracking().ToListAsync()).Select(f => ($"oauth_flows/{f.Id}", f.ProtectedCodeVerifier)));
        all.AddRange((await db.WebhookSecrets.IgnoreQueryFilters().AsNoTracking().ToListAsync()).Select(s => ($"webhook_secrets/{s.Id}", s.ProtectedKey)));
        all.AddRange((await db.IntegrationSettings.IgnoreQueryFilters().AsNoTracking().Where(s => s.ProtectedClientSecret != null).ToListAsync())
            .Select(s => ($"integration_settings/{s.ClientId}/{s.PlatformKey}", s.ProtectedClientSecret!)));
        return all;
    });
}

/// <summary>
/// When the job is about to rewrite a token row, first writes another value to the armed row in the same
/// transaction: exactly what a token refresh committing between the job's read and its write looks like to the job.
/// </summary>
public sealed class ConcurrentWriter : DbCommandInterceptor
{
    private (string Old, string New)? _armed;

    public int Fired { get; private set; }

    public void Arm(string oldCiphertext, string newCiphertext) => _armed = (oldCiphertext, newCiphertext);

    public override async ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        // The job's rewrite of a token row (the only one in that test): an UPDATE of connection_tokens' access token.
        if (_armed is { } armed && command.CommandText.TrimStart().StartsWith("UPDATE", StringComparison.OrdinalIgnoreCase)
            && command.CommandText.Contains("connection_tokens", StringComparison.Ordinal) && command.CommandText.Contains("ProtectedAccessToken", StringComparison.Ordinal))
        {
            _armed = null;
            Fired++;
            await using var write = command.Connection!.CreateCommand();
            write.Transaction = command.Transaction;
            write.CommandText = "UPDATE connection_tokens SET \"ProtectedAccessToken\" = @new WHERE \"ProtectedAccessToken\" = @old";
            AddParameter(write, "new", armed.New);
            AddParameter(write, "old", armed.Old);
            Assert.Equal(1, await write.ExecuteNonQueryAsync(cancellationToken));
        }

        return result;
    }

    private static void AddParameter(DbCommand command, string name, string value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}

public sealed class SqliteKeysApp() : KeysApp(DatabaseProvider.Sqlite, runJob: true);

public sealed class PostgresKeysApp() : KeysApp(DatabaseProvider.Postgres, runJob: true);

public sealed class SqliteKeysJobApp() : KeysApp(DatabaseProvider.Sqlite, runJob: false);

public sealed class PostgresKeysJobApp() : KeysApp(DatabaseProvider.Postgres, runJob: false);

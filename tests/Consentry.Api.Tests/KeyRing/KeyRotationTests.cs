using System.Net;
using Consentry.Api.Tests.Infrastructure;
using Consentry.Api.Tests.Sync;
using Consentry.Api.Tests.Webhooks;
using Consentry.Core.Security;
using Consentry.Features.KeyRing;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Consentry.Api.Tests.KeyRing;

/// <summary>
/// Key rotation end to end, with the job running as the background service it is: after a rotation every stored
/// ciphertext carries the new key's id, the old key is revoked, and a token refresh, a read and a signed webhook
/// delivery still work (so nothing was left under the revoked key).
/// </summary>
public abstract class KeyRotationTests(KeysApp app) : IAsyncLifetime
{
    private readonly HttpClient _api = app.Alpha();
    private readonly string _user = "user_good+" + Guid.NewGuid().ToString("N")[..12];
    private WebhookReceiver _receiver = null!;

    public async Task InitializeAsync() => _receiver = await WebhookReceiver.StartAsync();

    public async Task DisposeAsync() => await _receiver.DisposeAsync();

    [Fact]
    public async Task Rotate_ReencryptsEverySecret_RevokesTheOldKey_AndTokensAndWebhooksStillWork()
    {
        var consumer = await _api.PostJsonAsync("/webhooks", new { url = _receiver.Url(), eventTypes = new[] { "read.completed" }, companyTags = new[] { $"user:{_user}" } })
            .ExpectAsync(HttpStatusCode.Created);
        var webhookId = consumer["id"]!.GetValue<string>();
        var webhookSecret = (await _api.GetAsync($"/webhooks/{webhookId}/secret").ExpectAsync(HttpStatusCode.OK))["key"]!.GetValue<string>();
        const string clientSecret = "xero-client-secret-before-rotation";
        await _api.PutJsonAsync("/integrations/gbol/settings", new { oauthClientId = "xero-id", oauthClientSecret = clientSecret }).ExpectAsync(HttpStatusCode.OK);
        var (companyId, connectionId) = await app.LinkAsync("sbac", _user, tags: new { user = _user });
        await app.WaitForDataStatusAsync(companyId, s => SyncApp.AllComplete(s, "invoices"));
        await _receiver.WaitForAsync(r => r.Count >= 1);

        var before = await app.CiphertextsAsync();
        Assert.Contains(before, c => c.Where.StartsWith("connection_tokens/", StringComparison.Ordinal));
        Assert.Contains(before, c => c.Where.StartsWith("oauth_flows/", StringComparison.Ordinal));
        Assert.Contains(before, c => c.Where.StartsWith("webhook_secrets/", StringComparison.Ordinal));
        Assert.Contains(before, c => c.Where.StartsWith("integration_settings/", StringComparison.Ordinal));
        var oldKeys = before.Select(c => ProtectedPayload.KeyIdOf(c.Payload)).Distinct().ToList();
        Assert.DoesNotContain(null, oldKeys);

        var rotation = await app.StartRotationAsync(revokeOldKeys: true);
        Assert.DoesNotContain(rotation.NewKeyId, oldKeys.Cast<Guid>());
        var done = await Eventually.ReachAsync(() => app.RotationAsync(rotation.Id), r => r.Completed is not null);

        var after = await app.CiphertextsAsync();
        Assert.True(after.Count >= before.Count);
        Assert.All(after, c => Assert.Equal(rotation.NewKeyId, ProtectedPayload.KeyIdOf(c.Payload)));
        var rows = before.Select(c => c.Where.Replace("/access", "", StringComparison.Ordinal).Replace("/refresh", "", StringComparison.Ordinal)).Distinct().Count();
        Assert.True(done.RewrittenTotal >= rows, $"rewritten {done.RewrittenTotal} of {rows} rows");
        Assert.Equal(0, done.Unreadable);
        var ring = app.Services.GetRequiredService<IKeyManager>().GetAllKeys();
        Assert.All(ring.Where(k => oldKeys.Contains(k.KeyId)), k => Assert.True(k.IsRevoked));
        Assert.False(ring.Single(k => k.KeyId == rotation.NewKeyId).IsRevoked);
        Assert.Contains("Revoked", done.Outcome, StringComparison.Ordinal);

        // The secrets still decrypt: the integration's client secret, the webhook secret (same value through the API) ...
        var secrets = app.Services.GetRequiredService<SecretProtector>();
        var setting = await app.WithDbAsync(db => db.IntegrationSettings.IgnoreQueryFilters().AsNoTracking().SingleAsync(s => s.PlatformKey == "gbol"));
        Assert.Equal(clientSecret, secrets.Unprotect(setting.ProtectedClientSecret!));
        Assert.Equal(webhookSecret, (await _api.GetAsync($"/webhooks/{webhookId}/secret").ExpectAsync(HttpStatusCode.OK))["key"]!.GetValue<string>());

        // ... and the tokens: with the access token expired, a read refreshes it (the refresh token decrypts) and completes,
        // and its read.completed is delivered signed with the re-encrypted webhook secret.
        var connection = Guid.Parse(connectionId);
        var accessBefore = (await app.WithDbAsync(db => db.ConnectionTokens.IgnoreQueryFilters().AsNoTracking().SingleAsync(t => t.ConnectionId == connection))).ProtectedAccessToken;
        var refreshesBefore = (await app.SandboxStatsAsync("sbac", _user))["tokenRefreshes"]!.GetValue<int>();
        await app.SandboxAsync("sbac", _user, "expireAccessTokens");
        var delivered = _receiver.Received.Count;
        var queued = await _api.PostAsync($"/companies/{companyId}/data/queue/invoices", null).ExpectAsync(HttpStatusCode.OK);
        var datasetId = queued["id"]!.GetValue<string>();
        await app.WaitForDataStatusAsync(companyId, s => s["invoices"]?["latestSuccessfulSyncId"]?.GetValue<string>() == datasetId);
        var token = await app.WithDbAsync(db => db.ConnectionTokens.IgnoreQueryFilters().AsNoTracking().SingleAsync(t => t.ConnectionId == connection));
        Assert.Equal(refreshesBefore + 1, (await app.SandboxStatsAsync("sbac", _user))["tokenRefreshes"]!.GetValue<int>());
        Assert.NotEqual(accessBefore, token.ProtectedAccessToken);
        Assert.Equal(rotation.NewKeyId, ProtectedPayload.KeyIdOf(token.ProtectedAccessToken));
        var received = (await _receiver.WaitForAsync(r => r.Count > delivered)).Last();
        Assert.True(SignatureVerifier.Verify(webhookSecret, received.Headers, received.Body, app.Time.GetUtcNow()));
    }
}

public sealed class KeyRotationTests_Sqlite(SqliteKeysApp app) : KeyRotationTests(app), IClassFixture<SqliteKeysApp>;

public sealed class KeyRotationTests_Postgres(PostgresKeysApp app) : KeyRotationTests(app), IClassFixture<PostgresKeysApp>;

/// <summary>
/// The re-encryption job driven step by step (the background job is off in this host): it resumes at its cursor on
/// another instance after a crash, only once the lease ran out, and never overwrites a concurrent writer's ciphertext.
/// </summary>
public abstract class KeyRotationJobTests(KeysApp app)
{
    private readonly HttpClient _api = app.Alpha();

    [Fact]
    public async Task Job_StoppedMidway_ResumesAtItsCursor_OnAnotherInstance_OnceTheLeaseRunsOut()
    {
        var secretsById = new Dictionary<string, string>();
        for (var i = 0; i < 7; i++)
        {
            var consumer = await _api.PostJsonAsync("/webhooks", new { url = $"http://127.0.0.1:9/hook{i}", eventTypes = new[] { "company.created" }, companyTags = new[] { "never:matched" } })
                .ExpectAsync(HttpStatusCode.Created);
            var id = consumer["id"]!.GetValue<string>();
            secretsById[id] = (await _api.GetAsync($"/webhooks/{id}/secret").ExpectAsync(HttpStatusCode.OK))["key"]!.GetValue<string>();
        }

        var rotation = await app.StartRotationAsync(revokeOldKeys: false);
        var first = app.Services.GetRequiredService<ReencryptionWorker>();
        var second = ActivatorUtilities.CreateInstance<ReencryptionWorker>(app.Services);
        Assert.NotEqual(first.InstanceId, second.InstanceId);

        // The first instance works one batch (of two rows) at a time, resuming at its cursor each time, until it is part
        // way through the webhook secrets; then it "dies" holding the lease.
        KeyRotationCursor? cursor = null;
        for (var batch = 0; batch < 20 && cursor?.After is null; batch++)
        {
            Assert.True(await first.RunOnceAsync(CancellationToken.None, maxBatches: 1));
            cursor = await app.WithDbAsync(db => db.KeyRotationCursors.AsNoTracking().SingleOrDefaultAsync(c => c.RotationId == rotation.Id && c.TableName == "webhook_secrets"));
        }

        Assert.NotNull(cursor?.After);
        Assert.False(cursor.Done);
        var midway = await app.CiphertextsAsync();
        Assert.Contains(midway, c => ProtectedPayload.KeyIdOf(c.Payload) == rotation.NewKeyId);
        Assert.Contains(midway, c => ProtectedPayload.KeyIdOf(c.Payload) != rotation.NewKeyId);
        Assert.Equal(first.InstanceId, (await app.RotationAsync(rotation.Id)).LeaseOwner);

        // Another instance cannot take it over while the lease holds; it can once the lease ran out, and finishes it.
        Assert.False(await second.RunOnceAsync(CancellationToken.None));
        app.Time.Advance(TimeSpan.FromSeconds(KeysApp.LeaseSeconds + 1));
        var completed = await RunToCompletionAsync(second, rotation.Id);

        Assert.All(await app.CiphertextsAsync(), c => Assert.Equal(rotation.NewKeyId, ProtectedPayload.KeyIdOf(c.Payload)));
        Assert.Null(completed.LeaseOwner);
        foreach (var (id, secret) in secretsById)
        {
            Assert.Equal(secret, (await _api.GetAsync($"/webhooks/{id}/secret").ExpectAsync(HttpStatusCode.OK))["key"]!.GetValue<string>());
        }

        // The old key was not asked to go, so it stays (anything issued under it still reads).
        Assert.DoesNotContain(app.Services.GetRequiredService<IKeyManager>().GetAllKeys(), k => k.IsRevoked);
    }

    [Fact]
    public async Task ConcurrentTokenUpdate_DuringTheJob_IsNotOverwritten()
    {
        var user = "user_good+" + Guid.NewGuid().ToString("N")[..12];
        var (companyId, connectionId) = await app.LinkAsync("sbac", user);
        // The link's first reads end first: a reader still running would present the writer's (made-up) access token to
        // the sandbox, get a 401 and refresh it, replacing the value this test looks for.
        await app.WaitForDataStatusAsync(companyId, s => s.Count > 0 && s.All(p => p.Value?["currentStatus"]?.GetValue<string>() == "Complete"));
        var connection = Guid.Parse(connectionId);
        var secrets = app.Services.GetRequiredService<SecretProtector>();
        var current = (await app.WithDbAsync(db => db.ConnectionTokens.IgnoreQueryFilters().AsNoTracking().SingleAsync(t => t.ConnectionId == connection))).ProtectedAccessToken;

        var rotation = await app.StartRotationAsync(revokeOldKeys: false);
        var refreshed = secrets.Protect("access-token-refreshed-meanwhile");
        app.Writer.Arm(current, refreshed);
        var completed = await RunToCompletionAsync(app.Services.GetRequiredService<ReencryptionWorker>(), rotation.Id);

        Assert.Equal(1, app.Writer.Fired);
        var token = await app.WithDbAsync(db => db.ConnectionTokens.IgnoreQueryFilters().AsNoTracking().SingleAsync(t => t.ConnectionId == connection));
        // The writer's value survived (the job re-encrypts it if the writer still used the old key, as a stale instance would).
        Assert.Equal("access-token-refreshed-meanwhile", secrets.Unprotect(token.ProtectedAccessToken));
        Assert.True(completed.Pass >= 1, "the walk that lost a row to the writer is followed by another");
        Assert.All(await app.CiphertextsAsync(), c => Assert.Equal(rotation.NewKeyId, ProtectedPayload.KeyIdOf(c.Payload)));
    }

    private async Task<Core.Security.KeyRotation> RunToCompletionAsync(ReencryptionWorker worker, Guid rotationId)
    {
        for (var run = 0; run < 10; run++)
        {
            await worker.RunOnceAsync(CancellationToken.None);
            var rotation = await app.RotationAsync(rotationId);
            if (rotation.Completed is not null)
            {
                return rotation;
            }
        }

        throw new TimeoutException("The rotation did not complete in 10 runs.");
    }
}

public sealed class KeyRotationJobTests_Sqlite(SqliteKeysJobApp app) : KeyRotationJobTests(app), IClassFixture<SqliteKeysJobApp>;

public sealed class KeyRotationJobTests_Postgres(PostgresKeysJobApp app) : KeyRotationJobTests(app), IClassFixture<PostgresKeysJobApp>;

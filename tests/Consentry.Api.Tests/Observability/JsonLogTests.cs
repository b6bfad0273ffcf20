using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Consentry.Api.Tests.Infrastructure;
using Consentry.Api.Tests.Sync;
using Consentry.Core.Persistence;
using Consentry.Core.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace Consentry.Api.Tests.Observability;

/// <summary>
/// Writes every log entry through the console formatter the configuration picks (<c>Logging:Console:FormatterName</c>),
/// exactly as the console would, into memory.
/// </summary>
public sealed class FormattedLogCapture(IServiceProvider services) : ILoggerProvider, ISupportExternalScope
{
    private IExternalScopeProvider? _scopes;
    private ConsoleFormatter? _formatter;

    public ConcurrentQueue<string> Lines { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    private ConsoleFormatter Formatter => _formatter ??= services.GetServices<ConsoleFormatter>()
        .Single(f => f.Name == services.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>().CurrentValue.FormatterName);

    private sealed class Logger(FormattedLogCapture owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => owner._scopes?.Push(state);

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            using var text = new StringWriter();
            owner.Formatter.Write(new LogEntry<TState>(logLevel, category, eventId, state, exception, formatter), owner._scopes ?? new LoggerExternalScopeProvider(), text);
            foreach (var line in text.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                owner.Lines.Enqueue(line);
            }
        }
    }
}

/// <summary>The sync host logging everything (Trace) as JSON, with scopes.</summary>
public class JsonLogApp(DatabaseProvider provider) : SyncApp(provider)
{
    public FormattedLogCapture? Json { get; private set; }

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings)
    {
        ["Logging:LogLevel:Default"] = "Trace",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace",
        ["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "Trace",
        ["Logging:LogLevel:System.Net.Http.HttpClient"] = "Trace",
        ["Logging:Console:FormatterName"] = "json",
        ["Logging:Console:FormatterOptions:IncludeScopes"] = "true",
    };

    protected override void ConfigureTestServices(IServiceCollection services)
    {
        base.ConfigureTestServices(services);
        services.AddSingleton<ILoggerProvider>(sp => Json = new FormattedLogCapture(sp));
    }
}

public sealed class SqliteJsonLogApp() : JsonLogApp(DatabaseProvider.Sqlite);

/// <summary>
/// A full journey, its reads and a webhook delivery, logged at Trace as JSON: every line is JSON, requests carry their
/// correlation id and background work its dataset or delivery id, and no key, token or secret appears anywhere.
/// </summary>
public sealed class JsonLogTests(SqliteJsonLogApp app) : IClassFixture<SqliteJsonLogApp>, IAsyncLifetime
{
    private WebhookReceiver _receiver = null!;

    public async Task InitializeAsync() => _receiver = await WebhookReceiver.StartAsync();

    public async Task DisposeAsync() => await _receiver.DisposeAsync();

    [Fact]
    public async Task JourneySyncAndWebhook_LogAsJson_WithCorrelationIds_AndNeverASecret()
    {
        var api = app.Alpha();
        var user = "user_good+" + Guid.NewGuid().ToString("N")[..12];
        const string clientSecret = "oauth-client-secret-never-logged-5a1f";
        await api.PutJsonAsync("/integrations/gbol/settings", new { oauthClientId = "id", oauthClientSecret = clientSecret }).ExpectAsync(HttpStatusCode.OK);
        var consumer = await api.PostJsonAsync("/webhooks", new { url = _receiver.Url(), eventTypes = new[] { "read.completed" }, companyTags = new[] { $"user:{user}" } })
            .ExpectAsync(HttpStatusCode.Created);
        var webhookSecret = (await api.GetAsync($"/webhooks/{consumer["id"]!.GetValue<string>()}/secret").ExpectAsync(HttpStatusCode.OK))["key"]!.GetValue<string>();
        var (companyId, connectionId) = await app.LinkAsync("sbac", user, tags: new { user });
        await app.WaitForDataStatusAsync(companyId, s => SyncApp.AllComplete(s, "invoices"));
        await _receiver.WaitForAsync(r => r.Count >= 1);
        // The worker writes its line about a send after the receiver has answered: wait for it (bounded), not just the send.
        for (var waited = 0; waited < 100 && !app.Json!.Lines.Any(l => l.Contains("\"DeliveryId\"", StringComparison.Ordinal)); waited++)
        {
            await Task.Delay(100);
        }

        var secrets = app.Services.GetRequiredService<SecretProtector>();
        var token = await app.WithDbAsync(db => db.ConnectionTokens.IgnoreQueryFilters().AsNoTracking().SingleAsync(t => t.ConnectionId == Guid.Parse(connectionId)));
        var forbidden = new List<string>
        {
            ConsentryApp.AlphaKey, api.DefaultRequestHeaders.Authorization!.Parameter!, clientSecret, webhookSecret,
            webhookSecret["whsec_".Length..], secrets.Unprotect(token.ProtectedAccessToken), "pass_good",
        };
        if (token.ProtectedRefreshToken is { } refresh)
        {
            forbidden.Add(secrets.Unprotect(refresh));
        }

        var lines = app.Json!.Lines.ToList();
        Assert.True(lines.Count > 100, $"only {lines.Count} lines");
        var entries = lines.Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.All(entries, e => Assert.True(e.TryGetProperty("Category", out _) && e.TryGetProperty("LogLevel", out _)));
        foreach (var secret in forbidden)
        {
            Assert.DoesNotContain(lines, line => line.Contains(secret, StringComparison.Ordinal));
        }

        Assert.Contains(entries, e => Scopes(e).Any(s => s.TryGetProperty("CorrelationId", out var id) && id.GetString()!.Length == 32));
        Assert.Contains(entries, e => Scopes(e).Any(s => s.TryGetProperty("DatasetId", out _)));
        Assert.Contains(entries, e => Scopes(e).Any(s => s.TryGetProperty("DeliveryId", out _)));
        // The webhook client writes nothing per request (four entries and a scope each, before): the worker's own Debug
        // line, under the delivery's scope, says what became of each send.
        Assert.DoesNotContain(entries, e => e.GetProperty("Category").GetString()!.StartsWith("System.Net.Http.HttpClient.webhooks", StringComparison.Ordinal));
        Assert.Contains(entries, e => e.GetProperty("Category").GetString() == typeof(Consentry.Features.Webhooks.Delivery.WebhookDeliveryWorker).FullName
            && e.GetProperty("LogLevel").GetString() == "Debug" && Scopes(e).Any(s => s.TryGetProperty("DeliveryId", out _)));
    }

    private static IEnumerable<JsonElement> Scopes(JsonElement entry) =>
        entry.TryGetProperty("Scopes", out var scopes) ? scopes.EnumerateArray().Where(s => s.ValueKind == JsonValueKind.Object) : [];
}

using System.Collections;
using System.Diagnostics;
using System.Net;
using Consentry.Api.Tests.Infrastructure;
using Consentry.Api.Tests.Sync;
using Consentry.Core.Persistence;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;

namespace Consentry.Api.Tests.Observability;

/// <summary>Spans as OpenTelemetry exports them, kept in memory (the exporter adds from its own thread; tests read copies).</summary>
public sealed class SpanLog : ICollection<Activity>
{
    private readonly List<Activity> _spans = [];

    public int Count { get { lock (_spans) { return _spans.Count; } } }

    public bool IsReadOnly => false;

    public List<Activity> Snapshot() { lock (_spans) { return [.. _spans]; } }

    public void Add(Activity item) { lock (_spans) { _spans.Add(item); } }

    public void Clear() { lock (_spans) { _spans.Clear(); } }

    public bool Contains(Activity item) { lock (_spans) { return _spans.Contains(item); } }

    public void CopyTo(Activity[] array, int arrayIndex) { lock (_spans) { _spans.CopyTo(array, arrayIndex); } }

    public bool Remove(Activity item) { lock (_spans) { return _spans.Remove(item); } }

    public IEnumerator<Activity> GetEnumerator() => Snapshot().GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>The host with its traces exported to memory as well (OTLP stays off, as by default).</summary>
public class TracedApp(DatabaseProvider provider) : SyncApp(provider)
{
    public SpanLog Spans { get; } = new();

    protected override void ConfigureTestServices(IServiceCollection services) =>
        services.AddOpenTelemetry().WithTracing(tracing => tracing.AddInMemoryExporter(Spans));
}

public sealed class SqliteTracedApp() : TracedApp(DatabaseProvider.Sqlite);

/// <summary>
/// One trace for the whole journey: the Link callback, its token exchange (real HTTP to the sandbox), the reads it
/// queued (continued by the worker from the trace parent stored on each dataset) and the webhook they raised (continued
/// by the delivery worker from the event's).
/// </summary>
public sealed partial class TraceTests(SqliteTracedApp app) : IClassFixture<SqliteTracedApp>, IAsyncLifetime
{
    private WebhookReceiver _receiver = null!;

    public async Task InitializeAsync() => _receiver = await WebhookReceiver.StartAsync();

    public async Task DisposeAsync() => await _receiver.DisposeAsync();

    [Fact]
    public async Task LinkCallback_TokenExchange_Reads_AndTheirWebhook_AreOneTrace()
    {
        var user = "user_good+" + Guid.NewGuid().ToString("N")[..12];
        await app.Alpha().PostJsonAsync("/webhooks", new { url = _receiver.Url(), eventTypes = new[] { "read.completed" }, companyTags = new[] { $"user:{user}" } })
            .ExpectAsync(HttpStatusCode.Created);
        var (companyId, connectionId) = await app.LinkAsync("sbac", user, tags: new { user });
        await app.WaitForDataStatusAsync(companyId, s => SyncApp.AllComplete(s, "invoices", "customers"));
        await _receiver.WaitForAsync(r => r.Count >= 1);

        // Spans are exported when they end; the delivery's ends just after the receiver answered.
        var spans = await Eventually.ReachAsync(() => Task.FromResult(app.Spans.Snapshot()), all =>
            all.FirstOrDefault(s => Is(s, "consentry.link.callback", "consentry.connection_id", connectionId)) is { } callback
            && all.Any(s => s.TraceId == callback.TraceId && s.OperationName == "consentry.webhook.deliver"));
        var callback = spans.Single(s => Is(s, "consentry.link.callback", "consentry.connection_id", connectionId));
        var trace = spans.Where(s => s.TraceId == callback.TraceId).ToList();

        var exchange = Assert.Single(trace, s => s.Kind == ActivityKind.Client && Tag(s, "url.full")?.Contains("/oauth/token", StringComparison.Ordinal) == true);
        Assert.Equal(callback.SpanId, exchange.ParentSpanId);
        Assert.Equal("POST", Tag(exchange, "http.request.method"));

        var reads = trace.Where(s => s.OperationName == "consentry.sync.read").ToList();
        Assert.Contains(reads, s => Tag(s, "consentry.data_type") == "invoices");
        Assert.Contains(reads, s => Tag(s, "consentry.data_type") == "customers");
        Assert.All(reads, s => Assert.Equal(callback.SpanId, s.ParentSpanId));
        // Each read's own HTTP calls to the platform's data API are its children.
        Assert.Contains(trace, s => s.Kind == ActivityKind.Client && reads.Any(r => r.SpanId == s.ParentSpanId));

        var delivery = Assert.Single(trace, s => s.OperationName == "consentry.webhook.deliver");
        Assert.Equal("read.completed", Tag(delivery, "consentry.webhook.event_type"));
        Assert.Contains(reads, r => r.SpanId == delivery.ParentSpanId);
        var post = Assert.Single(trace, s => s.Kind == ActivityKind.Client && s.ParentSpanId == delivery.SpanId);
        Assert.Equal(_receiver.Url(), Tag(post, "url.full"));

        // The callback's OAuth code and state (and any other query value) never reach a span.
        Assert.Contains(trace, s => Tag(s, "url.query")?.Contains("code=Redacted", StringComparison.Ordinal) == true);
        Assert.All(trace.SelectMany(s => s.TagObjects), tag => Assert.DoesNotMatch(UnredactedSecret(), tag.Value?.ToString() ?? ""));
    }

    [System.Text.RegularExpressions.GeneratedRegex("(^|[?&])(code|state)=(?!Redacted)")]
    private static partial System.Text.RegularExpressions.Regex UnredactedSecret();

    private static bool Is(Activity span, string name, string tag, string value) => span.OperationName == name && Tag(span, tag) == value;

    private static string? Tag(Activity span, string name) => span.GetTagItem(name)?.ToString();
}

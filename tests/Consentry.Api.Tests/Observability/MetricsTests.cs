using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Consentry.Api.Tests.Infrastructure;
using Consentry.Api.Tests.Sync;
using Consentry.Core.Persistence;
using Consentry.Infrastructure.Observability;
using Microsoft.Extensions.DependencyInjection;

namespace Consentry.Api.Tests.Observability;

/// <summary>Every measurement one host's meters make, caught by a <see cref="MeterListener"/> as any exporter would.</summary>
public sealed class MeasurementLog : IDisposable
{
    private readonly MeterListener _listener = new();

    public MeasurementLog(IServiceProvider services)
    {
        var factory = services.GetRequiredService<IMeterFactory>();
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, factory))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Add(i, v, tags));
        _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Add(i, v, tags));
        _listener.Start();
    }

    public ConcurrentQueue<(string Name, double Value, Dictionary<string, string?> Tags)> All { get; } = new();

    public double Sum(string name, params (string Key, string Value)[] tags) =>
        All.Where(m => m.Name == name && tags.All(t => m.Tags.GetValueOrDefault(t.Key) == t.Value)).Sum(m => m.Value);

    public void Dispose() => _listener.Dispose();

    private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var copy = new Dictionary<string, string?>();
        foreach (var (key, tag) in tags)
        {
            copy[key] = Convert.ToString(tag, CultureInfo.InvariantCulture);
        }

        All.Enqueue((instrument.Name, value, copy));
    }
}

/// <summary>
/// The metrics of a real journey, read and webhook delivery (a MeterListener sees the counters move), and the same
/// numbers in the Prometheus text of <c>/metrics</c>, scraped over loopback (allowed by default).
/// </summary>
public abstract partial class MetricsTests(SyncApp app) : IAsyncLifetime
{
    private readonly HttpClient _api = app.Alpha();
    private readonly string _user = "user_good+" + Guid.NewGuid().ToString("N")[..12];
    private WebhookReceiver _receiver = null!;

    public async Task InitializeAsync() => _receiver = await WebhookReceiver.StartAsync();

    public async Task DisposeAsync() => await _receiver.DisposeAsync();

    [Fact]
    public async Task JourneyReadAndDelivery_MoveTheCounters_AndScrapeAsPrometheusText()
    {
        using var measurements = new MeasurementLog(app.Services);
        await _api.PostJsonAsync("/webhooks", new { url = _receiver.Url(), eventTypes = new[] { "read.completed" }, companyTags = new[] { $"user:{_user}" } })
            .ExpectAsync(HttpStatusCode.Created);
        var (companyId, _) = await app.LinkAsync("sbac", _user, tags: new { user = _user });
        await app.WaitForDataStatusAsync(companyId, s => SyncApp.AllComplete(s, "invoices", "customers"));
        await _receiver.WaitForAsync(r => r.Count >= 1);
        await Eventually.ReachAsync(() => Task.FromResult(measurements.Sum("consentry.webhook.delivery.attempts", ("outcome", "succeeded"))), n => n >= 1);

        Assert.True(measurements.Sum("consentry.journey.steps", ("step", "Opened")) >= 1);
        Assert.True(measurements.Sum("consentry.journey.steps", ("step", "OAuthStarted"), ("integration", "sbac")) >= 1);
        Assert.True(measurements.Sum("consentry.journey.steps", ("step", "Authorized"), ("integration", "sbac")) >= 1);
        Assert.True(measurements.Sum("consentry.sync.datasets", ("data_type", "invoices"), ("status", "Complete")) >= 1);
        Assert.True(measurements.Sum("consentry.sync.records", ("data_type", "invoices")) >= 1);
        Assert.True(measurements.Sum("consentry.sync.pages", ("data_type", "invoices")) >= 1);
        Assert.Contains(measurements.All, m => m.Name == "consentry.webhook.delivery.duration" && m.Tags["outcome"] == "succeeded");
        Assert.Contains(measurements.All, m => m.Name == "http.server.request.duration");

        var response = await app.Anonymous().GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        AssertPrometheusText(text);
        Assert.Contains("# TYPE consentry_journey_steps_total counter", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE http_server_request_duration_seconds histogram", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE consentry_webhook_delivery_duration_seconds histogram", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE consentry_sync_datasets_queued gauge", text, StringComparison.Ordinal);
        Assert.True(Value(text, "consentry_journey_steps_total", "integration=\"sbac\"", "step=\"Authorized\"") >= 1);
        Assert.True(Value(text, "consentry_sync_datasets_total", "data_type=\"invoices\"", "status=\"Complete\"") >= 1);
        Assert.True(Value(text, "consentry_sync_records_total", "data_type=\"invoices\"") >= 1);
        Assert.True(Value(text, "consentry_webhook_delivery_attempts_total", "outcome=\"succeeded\"") >= 1);
        Assert.True(Value(text, "http_server_request_duration_seconds_count") >= 1);
    }

    /// <summary>
    /// Every line is a comment (# HELP / # TYPE) or <c>name{labels} value</c>; histogram buckets only grow and end with
    /// +Inf equal to the count.
    /// </summary>
    public static void AssertPrometheusText(string text)
    {
        Assert.EndsWith("\n", text, StringComparison.Ordinal);
        var buckets = new Dictionary<string, List<double>>();
        foreach (var line in text.TrimEnd('\n').Split('\n'))
        {
            if (line.StartsWith('#'))
            {
                Assert.Matches(CommentLine(), line);
                continue;
            }

            var match = SampleLine().Match(line);
            Assert.True(match.Success, $"not a sample line: {line}");
            var name = match.Groups["name"].Value;
            if (name.EndsWith("_bucket", StringComparison.Ordinal))
            {
                var series = name + LeLabel().Replace(match.Groups["labels"].Value, "");
                buckets.TryAdd(series, []);
                buckets[series].Add(double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture));
            }
        }

        Assert.All(buckets.Values, counts => Assert.Equal(counts.Order(), counts));
    }

    private static double Value(string text, string name, params string[] labels)
    {
        var lines = text.Split('\n').Where(l => l.StartsWith(name + "{", StringComparison.Ordinal) && labels.All(label => l.Contains(label, StringComparison.Ordinal))).ToList();
        return lines.Sum(SampleValue);
    }

    /// <summary>The value of a sample line (<c>name{labels} value [timestamp]</c>).</summary>
    public static double SampleValue(string line) => double.Parse(SampleLine().Match(line).Groups["value"].Value, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* .+$")]
    private static partial Regex CommentLine();

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(?<labels>\{([a-zA-Z_][a-zA-Z0-9_]*=""([^""\\]|\\.)*"",?)*\})? (?<value>[-+]?([0-9.eE+-]+|Inf|NaN))$")]
    private static partial Regex SampleLine();

    [GeneratedRegex(@",?le=""[^""]*""")]
    private static partial Regex LeLabel();
}

public sealed class MetricsTests_Sqlite(SqliteSyncApp app) : MetricsTests(app), IClassFixture<SqliteSyncApp>;

public sealed class MetricsTests_Postgres(PostgresSyncApp app) : MetricsTests(app), IClassFixture<PostgresSyncApp>;

/// <summary>The host with its workers off, so the queues it samples stay full.</summary>
public class IdleWorkersApp(DatabaseProvider provider) : SyncApp(provider)
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings)
    {
        ["Consentry:Sync:RunWorker"] = "false",
        ["Consentry:Webhooks:RunWorker"] = "false",
    };
}

public sealed class SqliteIdleWorkersApp() : IdleWorkersApp(DatabaseProvider.Sqlite);

public sealed class PostgresIdleWorkersApp() : IdleWorkersApp(DatabaseProvider.Postgres);

/// <summary>The queue gauges: depth and age of due deliveries and queued datasets, from the periodic sample.</summary>
public abstract class QueueGaugeTests(IdleWorkersApp app)
{
    [Fact]
    public async Task QueuedWork_ShowsInTheGauges_WithItsAge()
    {
        var api = app.Alpha();
        var user = "user_good+" + Guid.NewGuid().ToString("N")[..12];
        await api.PostJsonAsync("/webhooks", new { url = "http://127.0.0.1:9/hook", eventTypes = new[] { "company.created" } }).ExpectAsync(HttpStatusCode.Created);
        await app.LinkAsync("sbac", user); // creates a company (a due delivery) and queues its first reads

        var sampler = app.Services.GetRequiredService<QueueSampler>();
        app.Time.Advance(TimeSpan.FromMinutes(2));
        await sampler.RunAsync(CancellationToken.None);
        var text = await app.Anonymous().GetStringAsync("/metrics");
        MetricsTests.AssertPrometheusText(text);

        Assert.True(Gauge(text, "consentry_webhook_deliveries_due") >= 1);
        Assert.True(Gauge(text, "consentry_webhook_deliveries_oldest_due_age_seconds") >= 120);
        Assert.True(Gauge(text, "consentry_sync_datasets_queued") >= 4);
        Assert.True(Gauge(text, "consentry_sync_datasets_oldest_queued_age_seconds") >= 120);
    }

    private static double Gauge(string text, string name)
    {
        var line = text.Split('\n').SingleOrDefault(l => l.StartsWith(name + " ", StringComparison.Ordinal) || l.StartsWith(name + "{", StringComparison.Ordinal))
            ?? throw new Xunit.Sdk.XunitException($"No {name} in:\n{text}");
        return MetricsTests.SampleValue(line);
    }
}

public sealed class QueueGaugeTests_Sqlite(SqliteIdleWorkersApp app) : QueueGaugeTests(app), IClassFixture<SqliteIdleWorkersApp>;

public sealed class QueueGaugeTests_Postgres(PostgresIdleWorkersApp app) : QueueGaugeTests(app), IClassFixture<PostgresIdleWorkersApp>;

/// <summary>A host that allows scraping only from a network the tests are not in, or with a token.</summary>
public sealed class ProtectedMetricsApp() : LinkApp(DatabaseProvider.Sqlite)
{
    public const string Token = "metrics-scrape-token-0123456789";

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings)
    {
        ["Consentry:Metrics:AllowedNetworks:0"] = "192.0.2.0/24",
        ["Consentry:Metrics:Token"] = Token,
    };
}

public sealed class MetricsAccessTests(ProtectedMetricsApp app) : IClassFixture<ProtectedMetricsApp>
{
    [Fact]
    public async Task Metrics_FromOutsideTheAllowedNetworks_NeedTheToken()
    {
        var anonymous = app.Anonymous();
        await anonymous.GetAsync("/metrics").ExpectErrorAsync(HttpStatusCode.Forbidden);

        using var wrong = new HttpRequestMessage(HttpMethod.Get, "/metrics") { Headers = { { "Authorization", "Bearer not-the-token" } } };
        Assert.Equal(HttpStatusCode.Forbidden, (await anonymous.SendAsync(wrong)).StatusCode);
        using var apiKey = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        apiKey.Headers.Authorization = app.Alpha().DefaultRequestHeaders.Authorization;
        Assert.Equal(HttpStatusCode.Forbidden, (await anonymous.SendAsync(apiKey)).StatusCode);

        using var right = new HttpRequestMessage(HttpMethod.Get, "/metrics") { Headers = { { "Authorization", "Bearer " + ProtectedMetricsApp.Token } } };
        var response = await anonymous.SendAsync(right);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("# TYPE", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}

// The webhook benchmark's receiver (bench/webhooks/run.sh). Kestrel on 127.0.0.1 only; answers every delivery with
// 200 and an empty body as fast as it can, and records for each one the consumer (the last path segment of
// /hook/{consumer}), the webhook-id header, the arrival time and the event's generatedDate (from the JSON body).
//
//   POST /hook/{consumer}   a delivery: recorded, answered 200
//   GET  /count             the number of deliveries received (cheap: for polling)
//   GET  /stats             JSON: counts, unique, duplicates, per consumer, first/last arrival, latency percentiles
//   GET  /records           CSV of every record: consumer,webhook_id,generated_unix_us,arrival_unix_us
//   POST /reset             forget every record (call it only while no deliveries arrive)
//
// Arguments: --port N (required), --capacity N (records kept, default 2,000,000). On SIGTERM/SIGINT it prints the
// final /stats JSON on stdout. Arrival times are DateTime.UtcNow on this machine, the clock the server stamps
// generatedDate with, so (arrival - generatedDate) is the end-to-end delivery latency.
using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
using System.IO.Pipelines;
using System.Net;
using System.Text;
using System.Text.Json;

var port = 0;
var capacity = 2_000_000;
for (var i = 0; i + 1 < args.Length; i += 2)
{
    switch (args[i])
    {
        case "--port": port = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        case "--capacity": capacity = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        default: Console.Error.WriteLine($"unknown argument {args[i]}"); return 2;
    }
}

if (port is <= 0 or > 65535)
{
    Console.Error.WriteLine("usage: Receiver --port N [--capacity N]");
    return 2;
}

var store = new Store(capacity);
var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.WebHost.ConfigureKestrel(k =>
{
    k.AddServerHeader = false;
    k.Limits.MaxConcurrentConnections = null;
    k.Listen(IPAddress.Loopback, port);
});
var app = builder.Build();

app.Run(async context =>
{
    var request = context.Request;
    var path = request.Path.Value ?? "";
    if (HttpMethods.IsPost(request.Method) && path.StartsWith("/hook/", StringComparison.Ordinal))
    {
        var arrival = DateTime.UtcNow.Ticks;
        var id = request.Headers["webhook-id"].ToString();
        var reader = request.BodyReader;
        ReadResult result;
        while (true)
        {
            result = await reader.ReadAsync(context.RequestAborted);
            if (result.IsCompleted)
            {
                break;
            }

            reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }

        var generated = GeneratedDate(result.Buffer);
        reader.AdvanceTo(result.Buffer.End);
        store.Add(path[6..], id, generated, arrival);
        context.Response.StatusCode = 200;
        context.Response.ContentLength = 0;
        return;
    }

    if (HttpMethods.IsGet(request.Method) && path == "/count")
    {
        context.Response.ContentType = "text/plain";
        await context.Response.WriteAsync(store.Received.ToString(CultureInfo.InvariantCulture));
        return;
    }

    if (HttpMethods.IsGet(request.Method) && path == "/stats")
    {
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(store.StatsJson());
        return;
    }

    if (HttpMethods.IsGet(request.Method) && path == "/records")
    {
        context.Response.ContentType = "text/csv";
        await context.Response.WriteAsync(store.Csv());
        return;
    }

    if (HttpMethods.IsPost(request.Method) && path == "/reset")
    {
        store.Reset();
        context.Response.StatusCode = 204;
        return;
    }

    context.Response.StatusCode = 404;
});

app.Lifetime.ApplicationStopping.Register(() => Console.Out.WriteLine(store.StatsJson()));
await app.RunAsync();
return 0;

// The envelope's top-level "generatedDate" as UTC ticks; 0 when absent or unreadable.
static long GeneratedDate(ReadOnlySequence<byte> body)
{
    try
    {
        var json = new Utf8JsonReader(body);
        while (json.Read())
        {
            if (json.TokenType == JsonTokenType.PropertyName && json.CurrentDepth == 1 && json.ValueTextEquals("generatedDate"u8))
            {
                json.Read();
                var value = json.GetDateTime();
                return (value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : value).Ticks;
            }

            if (json.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray && json.CurrentDepth >= 1)
            {
                json.Skip();
            }
        }
    }
    catch (JsonException)
    {
    }
    catch (FormatException)
    {
    }
    catch (InvalidOperationException)
    {
    }

    return 0;
}

/// <summary>Lock-free append-only records (one slot per request), read when the benchmark asks.</summary>
internal sealed class Store(int capacity)
{
    private readonly string[] _consumers = new string[capacity];
    private readonly string[] _ids = new string[capacity];
    private readonly long[] _generated = new long[capacity];
    private readonly long[] _arrival = new long[capacity];
    private readonly ConcurrentDictionary<string, string> _names = new(StringComparer.Ordinal);
    private int _next;
    private long _overflow;

    public void Add(string consumer, string id, long generated, long arrival)
    {
        var slot = Interlocked.Increment(ref _next) - 1;
        if (slot >= capacity)
        {
            Interlocked.Increment(ref _overflow);
            return;
        }

        _consumers[slot] = _names.GetOrAdd(consumer, consumer);
        _ids[slot] = id;
        _generated[slot] = generated;
        Volatile.Write(ref _arrival[slot], arrival);
    }

    public void Reset()
    {
        Interlocked.Exchange(ref _next, 0);
        Interlocked.Exchange(ref _overflow, 0);
        Array.Clear(_arrival);
    }

    private int Count => Math.Min(Volatile.Read(ref _next), capacity);

    public int Received => Count;

    private static double UnixSeconds(long ticks) => (ticks - DateTime.UnixEpoch.Ticks) / (double)TimeSpan.TicksPerSecond;

    public string StatsJson()
    {
        var n = Count;
        var unique = new HashSet<(string, string)>();
        var perConsumer = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var latencies = new List<double>(n);
        long first = long.MaxValue, last = long.MinValue;
        var written = 0;
        var noDate = 0;
        for (var i = 0; i < n; i++)
        {
            var arrival = Volatile.Read(ref _arrival[i]);
            if (arrival == 0)
            {
                continue; // claimed a slot, not written yet
            }

            written++;
            first = Math.Min(first, arrival);
            last = Math.Max(last, arrival);
            unique.Add((_consumers[i], _ids[i]));
            perConsumer[_consumers[i]] = perConsumer.GetValueOrDefault(_consumers[i]) + 1;
            if (_generated[i] == 0)
            {
                noDate++;
            }
            else
            {
                latencies.Add((arrival - _generated[i]) / (double)TimeSpan.TicksPerMillisecond);
            }
        }

        latencies.Sort();
        double Pct(double p) => latencies.Count == 0 ? 0 : latencies[Math.Min(latencies.Count - 1, (int)Math.Ceiling(p / 100 * latencies.Count) - 1)];

        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteNumber("count", written);
            w.WriteNumber("unique", unique.Count);
            w.WriteNumber("duplicates", written - unique.Count);
            w.WriteNumber("overflow", Interlocked.Read(ref _overflow));
            w.WriteNumber("withoutGeneratedDate", noDate);
            w.WriteStartObject("consumers");
            foreach (var (name, count) in perConsumer)
            {
                w.WriteNumber(name, count);
            }

            w.WriteEndObject();
            if (written > 0)
            {
                w.WriteNumber("firstArrival", UnixSeconds(first));
                w.WriteNumber("lastArrival", UnixSeconds(last));
            }

            w.WriteStartObject("latencyMs");
            w.WriteNumber("p50", Math.Round(Pct(50), 2));
            w.WriteNumber("p90", Math.Round(Pct(90), 2));
            w.WriteNumber("p99", Math.Round(Pct(99), 2));
            w.WriteNumber("max", Math.Round(latencies.Count == 0 ? 0 : latencies[^1], 2));
            w.WriteNumber("mean", Math.Round(latencies.Count == 0 ? 0 : latencies.Average(), 2));
            w.WriteEndObject();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    public string Csv()
    {
        var n = Count;
        var text = new StringBuilder(n * 80 + 64);
        text.Append("consumer,webhook_id,generated_unix_us,arrival_unix_us\n");
        for (var i = 0; i < n; i++)
        {
            var arrival = Volatile.Read(ref _arrival[i]);
            if (arrival == 0)
            {
                continue;
            }

            var generated = _generated[i] == 0 ? "" : ((_generated[i] - DateTime.UnixEpoch.Ticks) / 10).ToString(CultureInfo.InvariantCulture);
            text.Append(_consumers[i]).Append(',').Append(_ids[i]).Append(',').Append(generated).Append(',')
                .Append(((arrival - DateTime.UnixEpoch.Ticks) / 10).ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        return text.ToString();
    }
}

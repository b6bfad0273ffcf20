using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace Consentry.Infrastructure.Observability;

/// <summary>
/// Aggregates this host's metrics (the <c>Consentry</c> meter and ASP.NET Core's <c>Microsoft.AspNetCore.Hosting</c>)
/// with a <see cref="MeterListener"/> and writes them in Prometheus' text format. Hand-made because neither the
/// OpenTelemetry Prometheus exporter nor prometheus-net is available from our package source; it covers what our
/// instruments use: counters, up-down counters, gauges and histograms (cumulative, explicit buckets).
/// </summary>
public sealed class PrometheusExporter : IDisposable
{
    private static readonly string[] Meters = [ConsentryMetrics.MeterName, "Microsoft.AspNetCore.Hosting"];
    private static readonly double[] DefaultBuckets = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<Instrument, Family> _families = new();

    public PrometheusExporter(IMeterFactory factory)
    {
        // Only this host's meters: in a process with several hosts (the tests) each exports its own.
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (Meters.Contains(instrument.Meter.Name) && ReferenceEquals(instrument.Meter.Scope, factory))
            {
                _families[instrument] = new Family(instrument);
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((i, value, tags, _) => Record(i, value, tags));
        _listener.SetMeasurementEventCallback<int>((i, value, tags, _) => Record(i, value, tags));
        _listener.SetMeasurementEventCallback<double>((i, value, tags, _) => Record(i, value, tags));
        _listener.SetMeasurementEventCallback<float>((i, value, tags, _) => Record(i, value, tags));
        _listener.Start();
    }

    public string Scrape()
    {
        _listener.RecordObservableInstruments();
        var text = new StringBuilder();
        foreach (var family in _families.Values.OrderBy(f => f.Name, StringComparer.Ordinal))
        {
            family.Write(text);
        }

        return text.ToString();
    }

    public void Dispose() => _listener.Dispose();

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (_families.TryGetValue(instrument, out var family))
        {
            family.Record(value, Labels(tags));
        }
    }

    private static string Labels(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.Length == 0)
        {
            return "";
        }

        var pairs = new List<string>(tags.Length);
        foreach (var (key, value) in tags)
        {
            var text = Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";
            pairs.Add($"{Sanitize(key)}=\"{text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal)}\"");
        }

        pairs.Sort(StringComparer.Ordinal);
        return string.Join(',', pairs);
    }

    private static string Sanitize(string name) => new([.. name.Select(c => char.IsAsciiLetterOrDigit(c) || c == '_' ? c : '_')]);

    private static string Number(double value) => value switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };

    /// <summary>One instrument: its Prometheus name and type, and one series per label set.</summary>
    private sealed class Family
    {
        private readonly ConcurrentDictionary<string, Series> _series = new();
        private readonly string _type;
        private readonly string _help;
        private readonly double[]? _buckets;
        private readonly bool _lastValue;

        public Family(Instrument instrument)
        {
            var name = Sanitize(instrument.Name);
            name = instrument.Unit switch
            {
                "s" when !name.EndsWith("_seconds", StringComparison.Ordinal) => name + "_seconds",
                "By" => name + "_bytes",
                _ => name,
            };
            (_type, Name, _lastValue) = instrument switch
            {
                Counter<long> or Counter<int> or Counter<double> or ObservableCounter<long> or ObservableCounter<double> => ("counter", name + "_total", instrument.IsObservable),
                Histogram<double> or Histogram<long> or Histogram<int> => ("histogram", name, false),
                UpDownCounter<long> or UpDownCounter<int> or UpDownCounter<double> => ("gauge", name, false),
                _ => ("gauge", name, true), // observable gauges and observable up-down counters report their current value
            };
            _help = instrument.Description ?? instrument.Name;
            if (_type == "histogram")
            {
                _buckets = (instrument as Histogram<double>)?.Advice?.HistogramBucketBoundaries?.ToArray() ?? DefaultBuckets;
            }
        }

        public string Name { get; }

        public void Record(double value, string labels)
        {
            var series = _series.GetOrAdd(labels, _ => new Series(_buckets?.Length ?? 0));
            lock (series)
            {
                if (_buckets is not null)
                {
                    var bucket = Array.FindIndex(_buckets, b => value <= b);
                    series.Buckets[bucket < 0 ? _buckets.Length : bucket]++;
                    series.Count++;
                    series.Sum += value;
                }
                else if (_lastValue)
                {
                    series.Sum = value;
                }
                else
                {
                    series.Sum += value;
                }
            }
        }

        public void Write(StringBuilder text)
        {
            text.Append("# HELP ").Append(Name).Append(' ').Append(_help.Replace("\n", " ", StringComparison.Ordinal)).Append('\n');
            text.Append("# TYPE ").Append(Name).Append(' ').Append(_type).Append('\n');
            foreach (var (labels, series) in _series.OrderBy(s => s.Key, StringComparer.Ordinal))
            {
                lock (series)
                {
                    if (_buckets is null)
                    {
                        text.Append(Name).Append(Braces(labels)).Append(' ').Append(Number(series.Sum)).Append('\n');
                        continue;
                    }

                    long cumulative = 0;
                    for (var i = 0; i <= _buckets.Length; i++)
                    {
                        cumulative += series.Buckets[i];
                        var le = i < _buckets.Length ? Number(_buckets[i]) : "+Inf";
                        var withLe = labels.Length == 0 ? $"le=\"{le}\"" : $"{labels},le=\"{le}\"";
                        text.Append(Name).Append("_bucket{").Append(withLe).Append("} ").Append(cumulative.ToString(CultureInfo.InvariantCulture)).Append('\n');
                    }

                    text.Append(Name).Append("_sum").Append(Braces(labels)).Append(' ').Append(Number(series.Sum)).Append('\n');
                    text.Append(Name).Append("_count").Append(Braces(labels)).Append(' ').Append(series.Count.ToString(CultureInfo.InvariantCulture)).Append('\n');
                }
            }
        }

        private static string Braces(string labels) => labels.Length == 0 ? "" : "{" + labels + "}";
    }

    private sealed class Series(int buckets)
    {
        public long[] Buckets { get; } = new long[buckets + 1];

        public long Count { get; set; }

        public double Sum { get; set; }
    }
}

using System.Collections.Concurrent;
using System.Text.Json;

namespace Consentry.Connectors.Platforms.Shopify;

/// <summary>
/// Shopify's cost bucket per shop, as its answers last described it (<c>extensions.cost.throttleStatus</c>), so a query
/// is not sent when the bucket cannot hold it: the read waits until enough points are restored instead (the engine
/// waits <see cref="DataPage.RateLimited"/>). Each query reserves its expected cost at once, so reads of several data types
/// of one shop at the same time do not all spend the same points.
/// </summary>
public sealed class ShopifyThrottle(TimeProvider time)
{
    /// <summary>Waits are never shorter (the engine's round trip) nor longer than this.</summary>
    public static readonly TimeSpan ShortestWait = TimeSpan.FromMilliseconds(200);
    public static readonly TimeSpan LongestWait = TimeSpan.FromSeconds(60);

    private readonly ConcurrentDictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);

    /// <summary>
    /// Reserves <paramref name="expectedCost"/> points for a query to <paramref name="shop"/>: null when the bucket (as last
    /// seen, refilled since at its restore rate) holds them; otherwise how long until it will.
    /// </summary>
    public TimeSpan? Reserve(string shop, int expectedCost)
    {
        if (!_buckets.TryGetValue(shop, out var bucket))
        {
            return null;
        }

        lock (bucket)
        {
            var now = time.GetUtcNow();
            var available = Math.Min(bucket.Maximum, bucket.Available + ((now - bucket.At).TotalSeconds * bucket.RestoreRate));
            if (available >= expectedCost || bucket.RestoreRate <= 0)
            {
                bucket.Available = available - expectedCost;
                bucket.At = now;
                return null;
            }

            return Clamp(TimeSpan.FromSeconds((expectedCost - available) / bucket.RestoreRate));
        }
    }

    /// <summary>Keeps what Shopify said about the bucket; answers the wait when the query was THROTTLED.</summary>
    public TimeSpan? Observe(string shop, JsonElement root, bool throttled)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("extensions", out var extensions) || extensions.ValueKind != JsonValueKind.Object
            || !extensions.TryGetProperty("cost", out var cost) || cost.ValueKind != JsonValueKind.Object
            || !cost.TryGetProperty("throttleStatus", out var status) || status.ValueKind != JsonValueKind.Object)
        {
            return throttled ? LongestWait / 30 : null;
        }

        var maximum = Number(status, "maximumAvailable") ?? 1000;
        var available = Number(status, "currentlyAvailable") ?? 0;
        var rate = Number(status, "restoreRate") ?? 50;
        var bucket = _buckets.GetOrAdd(shop, _ => new Bucket());
        lock (bucket)
        {
            bucket.Maximum = maximum;
            bucket.Available = available;
            bucket.RestoreRate = rate;
            bucket.At = time.GetUtcNow();
        }

        if (!throttled)
        {
            return null;
        }

        var requested = Number(cost, "requestedQueryCost") ?? maximum;
        return Clamp(TimeSpan.FromSeconds(rate > 0 ? Math.Max(0, requested - available) / rate : 1));
    }

    private static TimeSpan Clamp(TimeSpan wait) => wait < ShortestWait ? ShortestWait : wait > LongestWait ? LongestWait : wait;

    private static double? Number(JsonElement s, string name) =>
        s.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;

    private sealed class Bucket
    {
        public double Maximum { get; set; }

        public double Available { get; set; }

        public double RestoreRate { get; set; }

        public DateTimeOffset At { get; set; }
    }
}

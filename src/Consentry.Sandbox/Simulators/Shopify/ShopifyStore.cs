using System.Text.Json.Nodes;

namespace Consentry.Sandbox.Simulators.Shopify;

/// <summary>
/// One simulated shop: its records (by resource: <c>customers</c>, <c>products</c>, <c>orders</c>), whether the app is
/// installed, and its GraphQL cost bucket and traffic. Shopify keeps one bucket per app and store.
/// </summary>
internal sealed class ShopifyStore
{
    public const int DefaultMaximumAvailable = 2000;
    public const int DefaultRestoreRate = 100;

    private readonly Dictionary<string, List<JsonObject>> _records;
    private JsonObject _shop;
    private double _available = DefaultMaximumAvailable;
    private DateTimeOffset _filledAt;

    public ShopifyStore(string name, bool big, DateTimeOffset origin)
    {
        Name = name;
        _filledAt = origin;
        var (customers, products, orders) = ShopifyData.Size(big);
        _shop = ShopifyData.Shop(name, origin);
        var customerList = ShopifyData.Customers(name, customers, origin);
        var productList = ShopifyData.Catalogue(name, products, origin);
        _records = new(StringComparer.Ordinal)
        {
            ["customers"] = customerList,
            ["products"] = productList,
            ["orders"] = ShopifyData.Orders(name, orders, customerList, productList, origin),
        };
    }

    public string Name { get; }

    public object Lock { get; } = new();

    /// <summary>False once the app was uninstalled (by the merchant or by the app's appUninstall): its tokens stop working.</summary>
    public bool Installed { get; set; }

    public int MaximumAvailable { get; set; } = DefaultMaximumAvailable;

    public double RestoreRate { get; set; } = DefaultRestoreRate;

    // Traffic, for tests to assert how the connector behaved.
    public int Requests { get; private set; }

    public int TokenRequests { get; set; }

    public int Throttled { get; private set; }

    /// <summary>GraphQL calls answered with a switched-on 5xx (control <c>failures</c>).</summary>
    public int ServerErrors { get; private set; }

    private int _failuresLeft;
    private int _failureStatus;

    /// <summary>The lowest the bucket ever was right after a request was charged (never below zero while the limit holds).</summary>
    public double LowestAvailable { get; private set; } = DefaultMaximumAvailable;

    public List<string> Queries { get; } = [];

    public JsonObject ShopObject
    {
        get { lock (Lock) { return (JsonObject)_shop.DeepClone(); } }
    }

    public static bool IsResource(string resource) => resource is "customers" or "products" or "orders";

    /// <summary>Copies of the records of <paramref name="resource"/>, in id order.</summary>
    public List<JsonObject> All(string resource)
    {
        lock (Lock)
        {
            return [.. _records[resource].Select(r => (JsonObject)r.DeepClone())];
        }
    }

    /// <summary>The bucket now: refilled at the restore rate since it was last charged, up to the maximum.</summary>
    public (double Available, int Maximum, double Rate) Bucket(DateTimeOffset now)
    {
        lock (Lock)
        {
            Refill(now);
            return (_available, MaximumAvailable, RestoreRate);
        }
    }

    /// <summary>Charges <paramref name="cost"/> when the bucket holds it (the request runs); false (THROTTLED) otherwise.</summary>
    public bool TryCharge(int cost, DateTimeOffset now, string query)
    {
        lock (Lock)
        {
            Refill(now);
            Requests++;
            Queries.Add(query);
            if (cost > _available)
            {
                Throttled++;
                return false;
            }

            _available -= cost;
            LowestAvailable = Math.Min(LowestAvailable, _available);
            return true;
        }
    }

    /// <summary>Gives back what the query did not use (Shopify charges the actual cost once it is known).</summary>
    public void Refund(int points)
    {
        lock (Lock)
        {
            _available = Math.Min(MaximumAvailable, _available + Math.Max(0, points));
        }
    }

    /// <summary>Control: the bucket is empty now (another app on the shop, a burst): the next costly query is throttled.</summary>
    public void Drain(DateTimeOffset now)
    {
        lock (Lock)
        {
            _available = 0;
            _filledAt = now;
            LowestAvailable = 0;
        }
    }

    /// <summary>Applies <paramref name="change"/> to a record and stamps its updatedAt; false when there is none.</summary>
    public bool Modify(string resource, string id, DateTimeOffset now, Action<JsonObject> change)
    {
        lock (Lock)
        {
            if (_records[resource].FirstOrDefault(r => r["id"]!.GetValue<string>().EndsWith($"/{id}", StringComparison.Ordinal)) is not { } record)
            {
                return false;
            }

            change(record);
            record["updatedAt"] = ShopifyData.Iso(now);
            return true;
        }
    }

    public bool Delete(string resource, string id)
    {
        lock (Lock)
        {
            return _records[resource].RemoveAll(r => r["id"]!.GetValue<string>().EndsWith($"/{id}", StringComparison.Ordinal)) > 0;
        }
    }

    /// <summary>Control: the next <paramref name="count"/> GraphQL calls answer <paramref name="status"/> (502 or 503, as Shopify's edge does).</summary>
    public void FailNext(int count, int status)
    {
        lock (Lock)
        {
            _failuresLeft = count;
            _failureStatus = status;
        }
    }

    /// <summary>The 5xx this call must answer, if a switched-on failure is left (it is then used up).</summary>
    public int? TakeFailure()
    {
        lock (Lock)
        {
            if (_failuresLeft <= 0)
            {
                return null;
            }

            _failuresLeft--;
            ServerErrors++;
            return _failureStatus;
        }
    }

    public void ResetTraffic()
    {
        lock (Lock)
        {
            Requests = 0;
            ServerErrors = 0;
            TokenRequests = 0;
            Throttled = 0;
            LowestAvailable = _available;
            Queries.Clear();
        }
    }

    public object Traffic(DateTimeOffset now)
    {
        lock (Lock)
        {
            Refill(now);
            return new
            {
                requests = Requests, tokenRequests = TokenRequests, throttled = Throttled, serverErrors = ServerErrors, lowestAvailable = LowestAvailable,
                currentlyAvailable = _available, installed = Installed, queries = Queries.ToArray(),
            };
        }
    }

    private void Refill(DateTimeOffset now)
    {
        if (now > _filledAt)
        {
            _available = Math.Min(MaximumAvailable, _available + ((now - _filledAt).TotalSeconds * RestoreRate));
            _filledAt = now;
        }
    }
}

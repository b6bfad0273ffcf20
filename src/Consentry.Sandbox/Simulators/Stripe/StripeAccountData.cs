using System.Text.Json.Nodes;

namespace Consentry.Sandbox.Simulators.Stripe;

/// <summary>
/// One Stripe account's objects, each list newest first as Stripe lists them. Changes and reads take <see cref="Gate"/>.
/// </summary>
internal sealed class StripeAccountData(string username, string accountId, JsonObject account)
{
    /// <summary>The list paths the simulator serves under <c>/v1/</c>.</summary>
    public static readonly string[] Resources = ["customers", "products", "prices", "charges", "payment_intents", "payouts", "balance_transactions", "disputes"];

    private readonly Queue<StripeForcedFailure> _failures = new();
    private long _calls;

    public string Username { get; } = username;

    public string AccountId { get; } = accountId;

    public JsonObject Account { get; } = account;

    public Lock Gate { get; } = new();

    public Dictionary<string, List<JsonObject>> Lists { get; } = Resources.ToDictionary(r => r, _ => new List<JsonObject>(), StringComparer.Ordinal);

    public long Calls => Interlocked.Read(ref _calls);

    /// <summary>Counts the call and hands back the next queued failure, if any.</summary>
    public StripeForcedFailure? Begin()
    {
        Interlocked.Increment(ref _calls);
        lock (Gate)
        {
            return _failures.TryDequeue(out var failure) ? failure : null;
        }
    }

    public void QueueFailures(StripeForcedFailure failure, int count)
    {
        lock (Gate)
        {
            for (var i = 0; i < Math.Clamp(count, 1, 100); i++)
            {
                _failures.Enqueue(failure);
            }
        }
    }

    /// <summary>Adds a record at the head of its list (the newest).</summary>
    public void Add(string resource, JsonObject record)
    {
        lock (Gate)
        {
            Lists[resource].Insert(0, record);
        }
    }
}

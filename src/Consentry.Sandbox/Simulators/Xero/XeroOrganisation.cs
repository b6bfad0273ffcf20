using System.Text.Json.Nodes;

namespace Consentry.Sandbox.Simulators.Xero;

/// <summary>One record of an organisation as Xero serves it, with its UpdatedDateUTC kept as a value for If-Modified-Since.</summary>
internal sealed class XeroRecord(string id, DateTime updated, JsonObject json)
{
    public string Id { get; } = id;

    public DateTime Updated { get; set; } = updated;

    public JsonObject Json { get; } = json;

    public void Touch(DateTime now)
    {
        Updated = now;
        Json["UpdatedDateUTC"] = XeroDates.Format(now);
    }
}

/// <summary>A failure the control API queued for a tenant's next data calls.</summary>
internal sealed record XeroForcedFailure(int Status, int RetryAfterSeconds, string? Problem);

/// <summary>
/// One organisation's data (generated once, deterministically, from the username) and its live counters: calls now in
/// flight and the most ever seen, calls this minute and today, and failures queued by the control API.
/// </summary>
internal sealed class XeroOrganisation(XeroOrganisationRef reference, string username)
{
    private readonly Lock _gate = new();
    private readonly Queue<XeroForcedFailure> _failures = new();
    private int _inFlight;
    private DateTime _minuteStart;
    private int _minuteCalls;
    private DateTime _dayStart;

    public XeroOrganisationRef Ref { get; } = reference;

    public string Username { get; } = username;

    public Lock Gate => _gate;

    public required JsonObject Organisation { get; init; }

    public required List<XeroRecord> Accounts { get; init; }

    public required List<XeroRecord> Contacts { get; init; }

    public required List<XeroRecord> Invoices { get; init; }

    public required List<XeroRecord> Payments { get; init; }

    public int MaxInFlight { get; private set; }

    public int Calls { get; private set; }

    public int DayCalls { get; private set; }

    public Dictionary<string, int> CallsByResource { get; } = new(StringComparer.Ordinal);

    /// <summary>Milliseconds each data call takes (0: as fast as it can), so tests can make calls overlap.</summary>
    public int LatencyMilliseconds { get; set; }

    public void QueueFailures(XeroForcedFailure failure, int count)
    {
        lock (_gate)
        {
            for (var i = 0; i < count; i++)
            {
                _failures.Enqueue(failure);
            }
        }
    }

    /// <summary>
    /// Starts a call: counts it and answers which limit it breaks (null: none). A refused call is not in flight; one that
    /// is let through must be ended with <see cref="End"/>.
    /// </summary>
    public (XeroForcedFailure? Refusal, int MinuteRemaining, int DayRemaining) Begin(string resource, DateTime now, XeroSimulatorOptions limits)
    {
        lock (_gate)
        {
            Calls++;
            CallsByResource[resource] = CallsByResource.GetValueOrDefault(resource) + 1;
            if (now - _minuteStart >= TimeSpan.FromMinutes(1))
            {
                (_minuteStart, _minuteCalls) = (now, 0);
            }

            if (now - _dayStart >= TimeSpan.FromDays(1))
            {
                (_dayStart, DayCalls) = (now, 0);
            }

            _minuteCalls++;
            DayCalls++;
            var minuteRemaining = Math.Max(0, limits.CallsPerMinute - _minuteCalls);
            var dayRemaining = Math.Max(0, limits.CallsPerDay - DayCalls);
            if (_failures.TryDequeue(out var forced))
            {
                return (forced, minuteRemaining, dayRemaining);
            }

            if (limits.EnforceLimits)
            {
                if (DayCalls > limits.CallsPerDay)
                {
                    return (new XeroForcedFailure(429, Seconds(_dayStart.AddDays(1) - now), "daily"), 0, 0);
                }

                if (_minuteCalls > limits.CallsPerMinute)
                {
                    return (new XeroForcedFailure(429, Seconds(_minuteStart.AddMinutes(1) - now), "minute"), 0, dayRemaining);
                }

                if (_inFlight >= limits.ConcurrentCalls)
                {
                    return (new XeroForcedFailure(429, 1, "concurrent"), minuteRemaining, dayRemaining);
                }
            }

            _inFlight++;
            MaxInFlight = Math.Max(MaxInFlight, _inFlight);
            return (null, minuteRemaining, dayRemaining);
        }
    }

    public void End()
    {
        lock (_gate)
        {
            _inFlight--;
        }
    }

    public List<XeroRecord>? Collection(string resource) => resource switch
    {
        "Accounts" => Accounts,
        "Contacts" => Contacts,
        "Invoices" => Invoices,
        "Payments" => Payments,
        _ => null,
    };

    private static int Seconds(TimeSpan span) => Math.Max(1, (int)Math.Ceiling(span.TotalSeconds));
}

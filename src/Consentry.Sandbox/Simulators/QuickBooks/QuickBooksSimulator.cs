using System.Collections.Concurrent;
using Consentry.Sandbox.Platforms;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;

namespace Consentry.Sandbox.Simulators.QuickBooks;

/// <summary>
/// <c>Consentry:Simulators:QuickBooks</c>: Intuit's real limits are off by default (tests stay fast and deterministic)
/// and on for the benchmark.
/// </summary>
public sealed class QuickBooksSimulatorOptions
{
    public const string Section = "Consentry:Simulators:QuickBooks";

    /// <summary>Enforce Intuit's throttles: <see cref="RequestsPerMinute"/> and <see cref="ConcurrentRequests"/> per realm.</summary>
    public bool EnforceLimits { get; set; }

    /// <summary>Intuit: 500 requests per minute per realm (per app).</summary>
    public int RequestsPerMinute { get; set; } = 500;

    /// <summary>Intuit: 10 concurrent requests per realm (per app).</summary>
    public int ConcurrentRequests { get; set; } = 10;
}

/// <summary>
/// A stand-in for QuickBooks Online, faithful to Intuit's published API: OAuth 2.0 at the App Center and
/// <c>oauth.platform.intuit.com</c> (no PKCE, client_secret_basic, realmId on the callback, refresh tokens that change),
/// revocation at <c>developer.api.intuit.com</c> with a JSON body, and the accounting API's <c>query</c>,
/// <c>companyinfo</c> and <c>cdc</c> endpoints with Intuit's fault bodies and throttling answers. Hosts, under
/// <c>{base}</c>: <c>/appcenter</c>, <c>/oauth</c>, <c>/developer</c>, <c>/api</c>; test controls under <c>/control</c>.
/// </summary>
public sealed class QuickBooksSimulator : IPlatformSimulator
{
    public const string SimulatorClientId = "consentry-quickbooks-simulator";
    public const string SimulatorClientSecret = "quickbooks-simulator-secret";

    internal static readonly SandboxPlatform Brand = new("qhyg", "Intuit QuickBooks (simulated)", "Accounting", "#2CA01C", "QB", [], [], ConsentExpires: false);

    public QuickBooksSimulator(TimeProvider time, IConfiguration configuration)
    {
        Time = time;
        configuration.GetSection(QuickBooksSimulatorOptions.Section).Bind(Options);
        Companies = new QuickBooksCompanies(time);
        Auth = new QuickBooksAuthState(time);
    }

    public string PlatformKey => "qhyg";

    public string Name => "quickbooks";

    public string ClientId => SimulatorClientId;

    public string ClientSecret => SimulatorClientSecret;

    /// <summary>Filled once at start by the host (its callback URL), read afterwards.</summary>
    public ISet<string> RedirectUris { get; } = new HashSet<string>(StringComparer.Ordinal);

    public QuickBooksSimulatorOptions Options { get; } = new();

    internal TimeProvider Time { get; }

    internal QuickBooksCompanies Companies { get; }

    internal QuickBooksAuthState Auth { get; }

    internal ConcurrentDictionary<string, RealmTraffic> Traffic { get; } = new(StringComparer.Ordinal);

    internal RealmTraffic TrafficOf(string realmId) => Traffic.GetOrAdd(realmId, _ => new RealmTraffic());

    public SimulatedHosts HostsUnder(string baseUrl)
    {
        var root = baseUrl.TrimEnd('/');
        return new SimulatedHosts($"{root}/appcenter/connect/oauth2", $"{root}/oauth/oauth2/v1/tokens/bearer", $"{root}/developer/v2/oauth2/tokens/revoke",
            null, $"{root}/api");
    }

    public void Map(IEndpointRouteBuilder group)
    {
        group.MapGet("/appcenter/connect/oauth2", (Delegate)((HttpContext c) => QuickBooksPages.Authorize(c, this)));
        group.MapPost("/appcenter/connect/oauth2/login", (Delegate)((HttpContext c) => QuickBooksPages.LoginAsync(c, this)));
        group.MapPost("/appcenter/connect/oauth2/choose", (Delegate)((HttpContext c) => QuickBooksPages.ChooseAsync(c, this, cancel: false)));
        group.MapPost("/appcenter/connect/oauth2/cancel", (Delegate)((HttpContext c) => QuickBooksPages.ChooseAsync(c, this, cancel: true)));
        group.MapPost("/oauth/oauth2/v1/tokens/bearer", (Delegate)((HttpContext c) => QuickBooksTokens.TokenAsync(c, this)));
        group.MapPost("/developer/v2/oauth2/tokens/revoke", (Delegate)((HttpContext c) => QuickBooksTokens.RevokeAsync(c, this)));
        group.MapGet("/api/v3/company/{realmId}/query", (HttpContext c, string realmId) => QuickBooksApi.QueryAsync(c, this, realmId));
        group.MapGet("/api/v3/company/{realmId}/companyinfo/{id}", (HttpContext c, string realmId, string id) => QuickBooksApi.CompanyInfoAsync(c, this, realmId, id));
        group.MapGet("/api/v3/company/{realmId}/cdc", (HttpContext c, string realmId) => QuickBooksApi.ChangesAsync(c, this, realmId));
        QuickBooksControl.Map(group.MapGroup("/control"), this);
    }
}

/// <summary>One realm's API traffic as the simulator saw it: so tests can assert the connector kept to Intuit's limits.</summary>
internal sealed class RealmTraffic
{
    private readonly object _lock = new();
    private readonly Queue<DateTimeOffset> _lastMinute = new();
    private int _current;

    public int MaxConcurrent { get; private set; }

    public int Requests { get; private set; }

    public int Throttled { get; private set; }

    public List<string> Queries { get; } = [];

    /// <summary>Pending switchable failures: the next requests answer 429 (with this Retry-After, if any) or this 5xx.</summary>
    public Queue<(int Status, int? RetryAfter)> Failures { get; } = new();

    /// <summary>Counts a request in; false (and not counted) when Intuit's limits would refuse it.</summary>
    public bool Enter(DateTimeOffset now, QuickBooksSimulatorOptions options, string? query)
    {
        lock (_lock)
        {
            while (_lastMinute.Count > 0 && now - _lastMinute.Peek() >= TimeSpan.FromMinutes(1))
            {
                _lastMinute.Dequeue();
            }

            if (options.EnforceLimits && (_current >= options.ConcurrentRequests || _lastMinute.Count >= options.RequestsPerMinute))
            {
                Throttled++;
                return false;
            }

            _lastMinute.Enqueue(now);
            Requests++;
            _current++;
            MaxConcurrent = Math.Max(MaxConcurrent, _current);
            if (query is not null)
            {
                Queries.Add(query);
            }

            return true;
        }
    }

    public void Leave()
    {
        lock (_lock)
        {
            _current--;
        }
    }

    public (int Status, int? RetryAfter)? NextFailure()
    {
        lock (_lock)
        {
            return Failures.TryDequeue(out var failure) ? failure : null;
        }
    }

    public void Fail(int status, int count, int? retryAfter)
    {
        lock (_lock)
        {
            for (var i = 0; i < count; i++)
            {
                Failures.Enqueue((status, retryAfter));
            }
        }
    }

    public object Snapshot()
    {
        lock (_lock)
        {
            return new { maxConcurrent = MaxConcurrent, requests = Requests, throttled = Throttled, queries = Queries.ToArray() };
        }
    }

    public void Reset()
    {
        lock (_lock)
        {
            MaxConcurrent = _current;
            Requests = 0;
            Throttled = 0;
            Queries.Clear();
        }
    }
}

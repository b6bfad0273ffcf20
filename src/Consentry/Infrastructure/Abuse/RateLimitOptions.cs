using System.ComponentModel.DataAnnotations;

namespace Consentry.Infrastructure.Abuse;

/// <summary>
/// The <c>Consentry:RateLimits</c> section: token buckets per API client and per IP address. The defaults are far
/// above what one honest client or one person's browser sends; they exist to stop floods and guessing, not to meter
/// use. Each instance counts on its own (see docs/security.md).
/// </summary>
public sealed class RateLimitOptions
{
    public const string Section = "Consentry:RateLimits";

    /// <summary>Off switch for benchmarks and for deployments whose load balancer already limits.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Platform API requests with a valid API key, per client (all of a client's keys share one bucket).</summary>
    public RateLimitRule ApiPerClient { get; set; } = new() { PermitsPerSecond = 200, Burst = 2000 };

    /// <summary>Platform API requests without a valid key (and the API docs), per IP: slows down key guessing.</summary>
    public RateLimitRule AnonymousPerIp { get; set; } = new() { PermitsPerSecond = 20, Burst = 400 };

    /// <summary>The hosted Link pages, the Link SDK's <c>/link/api</c> and the portal pages, per IP.</summary>
    public RateLimitRule PagesPerIp { get; set; } = new() { PermitsPerSecond = 50, Burst = 1000 };

    /// <summary>Portal sign-in attempts (<c>POST /portal/signin</c>), per IP: on top of the per-account lockout.</summary>
    public RateLimitRule SignInPerIp { get; set; } = new() { PermitsPerSecond = 1, Burst = 60 };

    /// <summary>The built-in sandbox platforms (<c>/sandbox</c>: OAuth and data APIs), per IP; looser, they are test doubles.</summary>
    public RateLimitRule SandboxPerIp { get; set; } = new() { PermitsPerSecond = 500, Burst = 5000 };

    public IEnumerable<(string Name, RateLimitRule Rule)> Rules =>
    [
        (nameof(ApiPerClient), ApiPerClient),
        (nameof(AnonymousPerIp), AnonymousPerIp),
        (nameof(PagesPerIp), PagesPerIp),
        (nameof(SignInPerIp), SignInPerIp),
        (nameof(SandboxPerIp), SandboxPerIp),
    ];
}

/// <summary>A token bucket: <see cref="Burst"/> requests at once, refilled at <see cref="PermitsPerSecond"/>.</summary>
public sealed class RateLimitRule
{
    [Range(1, 1_000_000)]
    public int PermitsPerSecond { get; set; }

    [Range(1, 10_000_000)]
    public int Burst { get; set; }
}

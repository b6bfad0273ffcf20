namespace Consentry.Infrastructure.Abuse;

/// <summary>
/// The <c>Consentry:TrustedProxies</c> section: the load balancers whose <c>X-Forwarded-For</c> and
/// <c>X-Forwarded-Proto</c> are believed. Empty (the default) means those headers are ignored, so a client cannot pick
/// its own IP address to escape the per-IP limits.
/// </summary>
public sealed class TrustedProxyOptions
{
    public const string Section = "Consentry:TrustedProxies";

    /// <summary>Addresses of the proxies, e.g. <c>127.0.0.1</c>.</summary>
    public List<string> Proxies { get; set; } = [];

    /// <summary>Networks of the proxies in CIDR notation, e.g. <c>10.0.0.0/8</c>.</summary>
    public List<string> Networks { get; set; } = [];

    /// <summary>How many proxies in a row to unwrap from <c>X-Forwarded-For</c> (nginx in front of Consentry: 1).</summary>
    public int ForwardLimit { get; set; } = 1;
}

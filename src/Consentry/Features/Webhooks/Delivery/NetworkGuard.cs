using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace Consentry.Features.Webhooks.Delivery;

/// <summary>Resolves host names; a class of its own so tests can make a name resolve where they need it (DNS rebinding).</summary>
public class HostResolver
{
    public virtual Task<IPAddress[]> ResolveAsync(string host, CancellationToken ct) => Dns.GetHostAddressesAsync(host, ct);
}

/// <summary>
/// Keeps webhook traffic off internal networks (SSRF): loopback, private, link-local (cloud metadata), carrier-grade
/// NAT, multicast and unspecified addresses are refused: IP literals and localhost names at registration, and every
/// address at connect time, so a name that resolves (or later rebinds) somewhere internal is refused when delivering. <c>Consentry__Webhooks__AllowPrivateNetworks</c>
/// lifts the rule for local development.
/// </summary>
public sealed class NetworkGuard(HostResolver resolver, IOptionsMonitor<WebhookOptions> options)
{
    public bool AllowsPrivate => options.CurrentValue.AllowPrivateNetworks;

    /// <summary>Why a URL may not receive webhooks, or null when it may.</summary>
    public string? CheckUrl(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Host.Length == 0)
        {
            return "url must be an absolute http(s) URL.";
        }

        if (uri.UserInfo.Length > 0)
        {
            return "url must not contain a user name or password.";
        }

        if (AllowsPrivate)
        {
            return null;
        }

        // A name is not resolved here: an app often registers before its DNS exists (and test machines have none), and
        // what a name resolves to today says nothing about delivery time. The connect-time guard checks every address
        // a delivery would use. What is internal on its face is refused at once: an IP literal in an internal range,
        // and localhost names (RFC 6761: always loopback).
        if (IPAddress.TryParse(uri.IdnHost.Trim('[', ']'), out var literal))
        {
            return IsInternal(literal) ? InternalRefusal(uri.Host) : null;
        }

        var host = uri.IdnHost.TrimEnd('.');
        return host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase)
            ? InternalRefusal(uri.Host)
            : null;
    }

    private static string InternalRefusal(string host) =>
        $"url host '{host}' is a loopback, private or link-local address, which cannot receive webhooks.";

    /// <summary>The addresses a connection may use; empty when every address of the host is internal.</summary>
    public async Task<IPAddress[]> AllowedAddressesAsync(string host, CancellationToken ct)
    {
        var addresses = await ResolveAsync(host, ct);
        return AllowsPrivate ? addresses : [.. addresses.Where(a => !IsInternal(a))];
    }

    private Task<IPAddress[]> ResolveAsync(string host, CancellationToken ct) =>
        IPAddress.TryParse(host.Trim('[', ']'), out var literal) ? Task.FromResult<IPAddress[]>([literal]) : resolver.ResolveAsync(host, ct);

    public static bool IsInternal(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any)
            || address.Equals(IPAddress.Broadcast) || address.Equals(IPAddress.IPv6None))
        {
            return true;
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return b[0] switch
            {
                0 or 10 or 127 => true,
                100 => b[1] is >= 64 and <= 127,          // carrier-grade NAT
                169 => b[1] == 254,                       // link-local, cloud metadata
                172 => b[1] is >= 16 and <= 31,
                192 => b[1] == 168 || (b[1] == 0 && b[2] is 0 or 2), // private, IETF, TEST-NET-1
                198 => b[1] is 18 or 19,                  // benchmarking
                >= 224 => true,                           // multicast and reserved
                _ => false,
            };
        }

        var bytes = address.GetAddressBytes();
        return address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast
               || (bytes[0] & 0xFE) == 0xFC;             // unique local fc00::/7 (includes fd00:ec2::254)
    }
}

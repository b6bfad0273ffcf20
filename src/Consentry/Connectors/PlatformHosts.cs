using Consentry.Core.Integrations;
using Microsoft.Extensions.Options;

namespace Consentry.Connectors;

/// <summary>
/// Where one real platform lives and the operator's own app registration there (<c>Consentry:Platforms:{key}</c>): each
/// value overrides the catalogue's, so production points at the vendor (the catalogue's defaults) and development and
/// tests at a simulator. A client's own credentials (<c>PUT /integrations/{key}/settings</c>) win over the operator's,
/// except on a simulated platform, which only knows its own client.
/// </summary>
public sealed class PlatformHostOptions
{
    public string? AuthorizeUrl { get; set; }

    public string? TokenUrl { get; set; }

    /// <summary>
    /// Plaid's Hosted Link pages (<c>https://secure.plaid.com/hl</c>): the only place a hand-off may send the customer;
    /// stands for <see cref="AuthorizeUrl"/> on platforms without an OAuth redirect.
    /// </summary>
    public string? HostedLinkUrl { get; set; }

    public string? RevokeUrl { get; set; }

    /// <summary>Where the platform says which accounts a token may use (Xero's Identity API <c>/connections</c>).</summary>
    public string? IdentityUrl { get; set; }

    /// <summary>The data API's base (Xero: <c>https://api.xero.com/api.xro/2.0</c>; QuickBooks: <c>https://quickbooks.api.intuit.com</c>).</summary>
    public string? ApiBaseUrl { get; set; }

    /// <summary>Space-separated scopes, when the operator's app registration differs from the catalogue.</summary>
    public string? Scopes { get; set; }

    public string? ClientId { get; set; }

    public string? ClientSecret { get; set; }

    /// <summary>Set by <see cref="PlatformsOptions.UseSimulators"/>: the hosts above are a simulator's, not the vendor's.</summary>
    public bool Simulated { get; set; }

    public bool HasCredentials => !string.IsNullOrEmpty(ClientId) && !string.IsNullOrEmpty(ClientSecret);
}

/// <summary><c>Consentry:Platforms</c>: the switch that points every platform with a simulator at it.</summary>
public sealed class PlatformsOptions
{
    public const string Section = "Consentry:Platforms";

    /// <summary>
    /// Point every real platform that has a simulator at it (served by this process under <c>/simulators</c>) and
    /// enable it with the simulator's credentials: on for development, off in production.
    /// </summary>
    public bool UseSimulators { get; set; }
}

/// <summary>Reads each platform's <see cref="PlatformHostOptions"/> (named by the platform key).</summary>
public sealed class PlatformHosts(IOptionsMonitor<PlatformHostOptions> options)
{
    public PlatformHostOptions For(string platformKey) => options.Get(platformKey);
}

using Microsoft.AspNetCore.Routing;

namespace Consentry.Sandbox.Simulators;

/// <summary>
/// A stand-in for a real platform's own API (Xero, QuickBooks Online…), faithful to the vendor's published document:
/// the same paths, parameters, headers, paging, token answers and errors, so that Consentry's connector for that
/// platform works unchanged against it and against the vendor. Served by the host under
/// <c>{prefix}/{Name}</c> when <c>Consentry:Platforms:UseSimulators</c> is on.
/// </summary>
public interface IPlatformSimulator
{
    /// <summary>The catalogue key of the platform it stands in for (<c>gbol</c>).</summary>
    string PlatformKey { get; }

    /// <summary>Its path segment under the simulators' prefix (<c>xero</c>).</summary>
    string Name { get; }

    /// <summary>The one OAuth client registered at the simulator (the host uses it when simulators are on).</summary>
    string ClientId { get; }

    string ClientSecret { get; }

    /// <summary>The redirect URIs the registered client may use (the host adds its callback URL at start).</summary>
    ISet<string> RedirectUris { get; }

    /// <summary>The vendor's hosts as this simulator serves them under <paramref name="baseUrl"/> (<c>{public}/simulators/xero</c>).</summary>
    SimulatedHosts HostsUnder(string baseUrl);

    /// <summary>Maps the simulator's routes on <paramref name="group"/> (already at its prefix, anonymous, out of the API description).</summary>
    void Map(IEndpointRouteBuilder group);
}

/// <summary>Where a simulator answers what the vendor answers at its authorize, token, revoke, identity and data API hosts.</summary>
public sealed record SimulatedHosts(string AuthorizeUrl, string TokenUrl, string? RevokeUrl, string? IdentityUrl, string ApiBaseUrl);

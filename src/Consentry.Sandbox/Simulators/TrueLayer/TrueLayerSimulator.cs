using Consentry.Sandbox.Platforms;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;

namespace Consentry.Sandbox.Simulators.TrueLayer;

/// <summary>
/// TrueLayer (<c>evqv</c>) as its public API reference describes the Data API v1 (docs.truelayer.com): the auth dialog
/// with the provider chooser at <c>auth/</c> (auth.truelayer.com), the bank's sign-in and consent, <c>auth/connect/token</c>,
/// re-authentication (<c>auth/v1/reauthuri</c>), <c>auth/api/delete</c>, and the Data API at <c>api/data/v1/…</c>
/// (api.truelayer.com) with its <c>{"results": […], "status": "Succeeded"}</c> envelope and its error bodies. Switchable
/// failures and counters live under <c>control/…</c>, for the simulator's own client only.
/// </summary>
public sealed class TrueLayerSimulator : IPlatformSimulator
{
    internal static readonly SandboxPlatform Branding = new("evqv", "TrueLayer (simulated)", "Banking", "#0E1C36", "TL", [], [], false);

    /// <summary>The Data API v1 scopes TrueLayer documents for the auth link.</summary>
    internal static readonly HashSet<string> KnownScopes = new(StringComparer.Ordinal)
    {
        "info", "accounts", "balance", "cards", "transactions", "direct_debits", "standing_orders", "offline_access",
    };

    public TrueLayerSimulator(IConfiguration configuration, TimeProvider time)
    {
        Options = configuration.GetSection(TrueLayerSimulatorOptions.Section).Get<TrueLayerSimulatorOptions>() ?? new TrueLayerSimulatorOptions();
        Time = time;
    }

    public string PlatformKey => "evqv";

    public string Name => "truelayer";

    public string ClientId => Options.ClientId;

    public string ClientSecret => Options.ClientSecret;

    public ISet<string> RedirectUris { get; } = new HashSet<string>(StringComparer.Ordinal);

    internal TrueLayerSimulatorOptions Options { get; }

    internal TimeProvider Time { get; }

    internal TrueLayerState State { get; } = new();

    internal DateTime Now => Time.GetUtcNow().UtcDateTime;

    public SimulatedHosts HostsUnder(string baseUrl)
    {
        var b = baseUrl.TrimEnd('/');
        return new SimulatedHosts($"{b}/auth/", $"{b}/auth/connect/token", $"{b}/auth/api/delete", null, $"{b}/api/data/v1");
    }

    public void Map(IEndpointRouteBuilder group)
    {
        group.MapGet("/auth/", (HttpContext c) => TrueLayerAuthPages.Authorize(c, this));
        group.MapGet("/auth/reauth/{handle}", (HttpContext c, string handle) => TrueLayerAuthPages.Reauthenticate(c, this, handle));
        group.MapPost("/auth/provider", (Delegate)((HttpContext c) => TrueLayerAuthPages.ChooseProviderAsync(c, this))).DisableAntiforgery();
        group.MapPost("/auth/login", (Delegate)((HttpContext c) => TrueLayerAuthPages.LoginAsync(c, this))).DisableAntiforgery();
        group.MapPost("/auth/consent/allow", (Delegate)((HttpContext c) => TrueLayerAuthPages.DecideAsync(c, this, allowed: true))).DisableAntiforgery();
        group.MapPost("/auth/consent/deny", (Delegate)((HttpContext c) => TrueLayerAuthPages.DecideAsync(c, this, allowed: false))).DisableAntiforgery();
        group.MapPost("/auth/connect/token", (Delegate)((HttpContext c) => TrueLayerTokens.TokenAsync(c, this))).DisableAntiforgery();
        group.MapPost("/auth/v1/reauthuri", (Delegate)((HttpContext c) => TrueLayerTokens.ReauthUriAsync(c, this))).DisableAntiforgery();
        group.MapDelete("/auth/api/delete", (HttpContext c) => TrueLayerTokens.Delete(c, this));
        TrueLayerDataApi.Map(group.MapGroup("/api/data/v1"), this);
        TrueLayerControl.Map(group.MapGroup("/control"), this);
    }

    internal bool IsClient(string? clientId, string? secret) =>
        clientId is not null && secret is not null
        && Consentry.Sandbox.OAuth.Secrets.FixedTimeEquals(clientId, Options.ClientId)
        && Consentry.Sandbox.OAuth.Secrets.FixedTimeEquals(secret, Options.ClientSecret);
}

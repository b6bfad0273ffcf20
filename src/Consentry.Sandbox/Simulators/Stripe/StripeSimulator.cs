using Consentry.Sandbox.Platforms;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;

namespace Consentry.Sandbox.Simulators.Stripe;

/// <summary>
/// Stripe (<c>exgd</c>) as Stripe documents it: Connect OAuth (connect.stripe.com's <c>oauth/authorize</c> sign-in and
/// consent page, <c>oauth/token</c> answering <c>stripe_user_id</c>, <c>oauth/deauthorize</c>) and the API v1
/// (api.stripe.com's <c>v1/…</c>), both at the simulator's root so the API base is the simulator's base as it is
/// <c>https://api.stripe.com</c> at Stripe. Test keys: the platform's secret key is the simulator's client secret
/// (<see cref="StripeSimulatorOptions.ClientSecret"/>, used with <c>Stripe-Account</c>); every test user's account also
/// has a restricted key <c>rk_test_sim_{username}</c> (<c>control/users/{username}/keys</c> tells it and rolls it).
/// Switchable failures and counters live under <c>control/…</c>, for the platform's own credentials only.
/// </summary>
public sealed class StripeSimulator : IPlatformSimulator
{
    internal static readonly SandboxPlatform Branding = new("exgd", "Stripe (simulated)", "Commerce", "#635BFF", "S", [], [], false);

    /// <summary>The platform's own account (the API without <c>Stripe-Account</c> and the platform's key).</summary>
    internal const string PlatformUser = "platform";

    public StripeSimulator(IConfiguration configuration, TimeProvider time)
    {
        Options = configuration.GetSection(StripeSimulatorOptions.Section).Get<StripeSimulatorOptions>() ?? new StripeSimulatorOptions();
        Time = time;
    }

    public string PlatformKey => "exgd";

    public string Name => "stripe";

    public string ClientId => Options.ClientId;

    public string ClientSecret => Options.ClientSecret;

    public ISet<string> RedirectUris { get; } = new HashSet<string>(StringComparer.Ordinal);

    internal StripeSimulatorOptions Options { get; }

    internal TimeProvider Time { get; }

    internal StripeState State { get; } = new();

    internal DateTime Now => Time.GetUtcNow().UtcDateTime;

    public SimulatedHosts HostsUnder(string baseUrl)
    {
        var b = baseUrl.TrimEnd('/');
        return new SimulatedHosts($"{b}/oauth/authorize", $"{b}/oauth/token", $"{b}/oauth/deauthorize", null, b);
    }

    public void Map(IEndpointRouteBuilder group)
    {
        group.MapGet("/oauth/authorize", (HttpContext c) => StripeConnectPages.Authorize(c, this));
        group.MapPost("/oauth/login", (Delegate)((HttpContext c) => StripeConnectPages.LoginAsync(c, this))).DisableAntiforgery();
        group.MapPost("/oauth/consent/allow", (Delegate)((HttpContext c) => StripeConnectPages.DecideAsync(c, this, allowed: true))).DisableAntiforgery();
        group.MapPost("/oauth/consent/deny", (Delegate)((HttpContext c) => StripeConnectPages.DecideAsync(c, this, allowed: false))).DisableAntiforgery();
        group.MapPost("/oauth/token", (Delegate)((HttpContext c) => StripeConnectTokens.TokenAsync(c, this))).DisableAntiforgery();
        group.MapPost("/oauth/deauthorize", (Delegate)((HttpContext c) => StripeConnectTokens.DeauthorizeAsync(c, this))).DisableAntiforgery();
        group.MapGet("/v1/account", (HttpContext c) => StripeApi.Account(c, this));
        group.MapGet("/v1/{resource}", (HttpContext c, string resource) => StripeApi.List(c, this, resource));
        group.MapGet("/v1/{resource}/{id}", (HttpContext c, string resource, string id) => StripeApi.Retrieve(c, this, resource, id));
        StripeControl.Map(group.MapGroup("/control"), this);
    }

    internal bool IsPlatformKey(string? key) => key is not null && Consentry.Sandbox.OAuth.Secrets.FixedTimeEquals(key, Options.ClientSecret);

    internal bool IsClient(string? clientId, string? secret) =>
        clientId is not null && secret is not null
        && Consentry.Sandbox.OAuth.Secrets.FixedTimeEquals(clientId, Options.ClientId)
        && Consentry.Sandbox.OAuth.Secrets.FixedTimeEquals(secret, Options.ClientSecret);
}

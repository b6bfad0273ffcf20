namespace Consentry.Sandbox.Simulators.Stripe;

/// <summary><c>Consentry:Simulators:Stripe</c>: the platform's Connect registration at the simulator.</summary>
public sealed class StripeSimulatorOptions
{
    public const string Section = "Consentry:Simulators:Stripe";

    /// <summary>The platform's Connect client id (Stripe: <c>ca_…</c>, from the Connect settings).</summary>
    public string ClientId { get; set; } = "ca_consentrySimulatorPlatform";

    /// <summary>
    /// The platform's secret key: Stripe's OAuth endpoints take it as the client secret, and the API takes it with a
    /// <c>Stripe-Account</c> header to act on a connected account.
    /// </summary>
    public string ClientSecret { get; set; } = "sk_test_consentry_simulator_platform";

    /// <summary>Stripe: an authorization code must be redeemed within 5 minutes.</summary>
    public TimeSpan CodeLifetime { get; set; } = TimeSpan.FromMinutes(5);
}

namespace Consentry.Sandbox.Simulators.TrueLayer;

/// <summary><c>Consentry:Simulators:TrueLayer</c>: the registered client and TrueLayer's lifetimes.</summary>
public sealed class TrueLayerSimulatorOptions
{
    public const string Section = "Consentry:Simulators:TrueLayer";

    public string ClientId { get; set; } = "truelayer-simulator-client";

    public string ClientSecret { get; set; } = "truelayer-simulator-secret";

    /// <summary>TrueLayer: access tokens last one hour (<c>expires_in: 3600</c>).</summary>
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>UK Open Banking: the customer's consent lasts 90 days, then they must re-authenticate.</summary>
    public TimeSpan ConsentLifetime { get; set; } = TimeSpan.FromDays(90);

    /// <summary>
    /// After authenticating, a bank serves history older than 90 days only for a short while (TrueLayer's
    /// <c>sca_exceeded</c>: "during the 5 minutes after the user first grants access").
    /// </summary>
    public TimeSpan ScaWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>TrueLayer: an authorization code must be redeemed within 5 minutes (<c>invalid_authorization_code</c>).</summary>
    public TimeSpan CodeLifetime { get; set; } = TimeSpan.FromMinutes(5);
}

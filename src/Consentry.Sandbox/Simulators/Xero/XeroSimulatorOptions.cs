namespace Consentry.Sandbox.Simulators.Xero;

/// <summary>
/// <c>Consentry:Simulators:Xero</c>. Xero's published limits per tenant (60 calls a minute, 5 at once, 5,000 a day) are
/// enforced only when <see cref="EnforceLimits"/> is on (the benchmark); concurrent calls are always counted, so a test
/// can assert the connector never had more than five in flight.
/// </summary>
public sealed class XeroSimulatorOptions
{
    public const string Section = "Consentry:Simulators:Xero";

    public string ClientId { get; set; } = "xero-simulator-client";

    public string ClientSecret { get; set; } = "xero-simulator-secret";

    public bool EnforceLimits { get; set; }

    public int CallsPerMinute { get; set; } = 60;

    public int ConcurrentCalls { get; set; } = 5;

    public int CallsPerDay { get; set; } = 5000;

    /// <summary>Xero: access tokens last 30 minutes.</summary>
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Xero: a refresh token lasts 60 days from when it was issued.</summary>
    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(60);

    /// <summary>
    /// Xero keeps a used refresh token working for a short while (its documentation says 30 minutes) so a client that lost
    /// the answer can retry; after that, and for a revoked one, the answer is <c>invalid_grant</c>.
    /// </summary>
    public TimeSpan RefreshTokenGracePeriod { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Xero: an authorization code must be redeemed within 5 minutes.</summary>
    public TimeSpan CodeLifetime { get; set; } = TimeSpan.FromMinutes(5);
}

using Consentry.Core.Tenancy;

namespace Consentry.Core.Integrations;

/// <summary>
/// A client's settings for one integration: whether it is switched on and, for real platforms, the client's own
/// OAuth 2.0 registration there. The client secret is encrypted at rest.
/// </summary>
public sealed class IntegrationSetting : IClientOwned
{
    public Guid ClientId { get; set; }

    public required string PlatformKey { get; set; }

    /// <summary>An explicit on/off; null means the default (sandboxes on, real platforms on once credentials exist).</summary>
    public bool? Enabled { get; set; }

    public string? OAuthClientId { get; set; }

    /// <summary>The client secret, protected with ASP.NET Core Data Protection (see <c>SecretProtector</c>).</summary>
    public string? ProtectedClientSecret { get; set; }

    /// <summary>The scopes the client's own app registration asks for, when they differ from the catalogue's.</summary>
    public List<string>? Scopes { get; set; }

    public DateTime Updated { get; set; }

    public bool HasCredentials => OAuthClientId is not null && ProtectedClientSecret is not null;
}

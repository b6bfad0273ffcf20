using System.Text.Json.Serialization;
using Consentry.Core.Connections;

namespace Consentry.Core.Integrations;

/// <summary>One platform of the catalogue (Codat's integration), as read from the catalogue data file.</summary>
public sealed record IntegrationDefinition
{
    /// <summary>The platform's key (<c>gbol</c>); the catalogue file and Codat call it <c>key</c>.</summary>
    [JsonPropertyName("key")]
    public required string PlatformKey { get; init; }

    public required string Name { get; init; }

    public SourceType SourceType { get; init; }

    public Guid IntegrationId { get; init; }

    public Guid SourceId { get; init; }

    public bool IsSandbox { get; init; }

    public bool IsBeta { get; init; }

    public bool IsOfflineConnector { get; init; }

    public string? DataProvidedBy { get; init; }

    public string BrandColor { get; init; } = "#4B5563";

    public string? Initials { get; init; }

    public OAuthEndpoints? OAuth { get; init; }

    /// <summary>
    /// The form a customer fills in to link with credentials (an API key, a key and secret, a shop domain and a key)
    /// instead of, or as an alternative to, an OAuth redirect; null when the platform takes none. See docs/platforms/credentials.md.
    /// </summary>
    public CredentialsForm? Credentials { get; init; }

    /// <summary>A per-account part of the platform's URLs (Shopify's <c>shop</c>, NetSuite's <c>accountId</c>), asked for before authorizing.</summary>
    public string? AccountParameter { get; init; }

    public IReadOnlyList<DataTypeFeatures> DataTypes { get; init; } = [];

    /// <summary>Where and how the sync engine reads the platform's data; null when Consentry cannot read it yet.</summary>
    public DataApiDefinition? Data { get; init; }

    /// <summary>
    /// Whether the platform is usable for a client with the given settings row (or none): sandboxes unless switched
    /// off; real platforms once the client's (or the operator's) OAuth credentials are set, unless switched off.
    /// </summary>
    public bool IsEnabledFor(IntegrationSetting? setting) => IsSandbox
        ? setting?.Enabled ?? true
        : OAuth is not null && (setting?.HasCredentials == true || HasOperatorCredentials) && setting?.Enabled != false;

    /// <summary>The operator configured an app registration for every client (<c>Consentry:Platforms:{key}</c>), or a simulator stands in.</summary>
    public bool HasOperatorCredentials { get; init; }

    /// <summary>A simulator stands in for the vendor on this instance (development and tests): shown as such in Link.</summary>
    public bool IsSimulated { get; init; }
}

/// <summary>The platform's OAuth 2.0 endpoints and behaviour, used by the generic connector.</summary>
public sealed record OAuthEndpoints
{
    public required string AuthorizeUrl { get; init; }

    public required string TokenUrl { get; init; }

    public string? RevokeUrl { get; init; }

    /// <summary>Where the platform lists the accounts a token may use (Xero's <c>https://api.xero.com/connections</c>).</summary>
    public string? IdentityUrl { get; init; }

    public IReadOnlyList<string> Scopes { get; init; } = [];

    public string ScopeSeparator { get; init; } = " ";

    public bool Pkce { get; init; } = true;

    /// <summary><c>basic</c> (client_secret_basic) or <c>body</c> (client_secret_post).</summary>
    public string ClientAuthentication { get; init; } = "basic";

    public IReadOnlyDictionary<string, string> ExtraAuthorizeParameters { get; init; } = new Dictionary<string, string>();

    public bool RefreshTokenRotates { get; init; }

    public string? DocsUrl { get; init; }
}

/// <summary>A credential form: what it is called on the Link page, a line of help, and its fields in order.</summary>
public sealed record CredentialsForm
{
    /// <summary>The choice as the Link page offers it (e.g. "Use a restricted API key").</summary>
    public required string Title { get; init; }

    /// <summary>What to do before filling the form in (where the key is created, which permissions it needs).</summary>
    public string? Description { get; init; }

    /// <summary>The vendor's page about the credentials, linked from the form.</summary>
    public string? DocsUrl { get; init; }

    public IReadOnlyList<CredentialField> Fields { get; init; } = [];
}

/// <summary>One field of a credential form; its value is posted (and sent to <c>PUT …/authorization</c>) under <see cref="Name"/>.</summary>
public sealed record CredentialField
{
    public required string Name { get; init; }

    public required string Label { get; init; }

    public string? HelpText { get; init; }

    /// <summary>A secret is typed into a password field, never shown again, stored encrypted and never logged.</summary>
    public bool Secret { get; init; }

    /// <summary>A regular expression the whole value must match (checked on the page and on the server).</summary>
    public string? Pattern { get; init; }

    public bool Required { get; init; } = true;
}

public sealed record DataTypeFeatures
{
    public required string DataType { get; init; }

    public IReadOnlyList<SupportedFeature> Features { get; init; } = [];
}

public sealed record SupportedFeature(string FeatureType, string FeatureState);

/// <summary>A platform's data API as the sync engine reads it: a base URL (with placeholders) and an endpoint per data type.</summary>
public sealed record DataApiDefinition
{
    public required string BaseUrl { get; init; }

    public IReadOnlyDictionary<string, DataEndpointDefinition> Endpoints { get; init; } = new Dictionary<string, DataEndpointDefinition>();
}

/// <summary>
/// One data type's endpoint: <see cref="Path"/> under the base URL; a single object (<see cref="SingleObject"/>) or a paged collection
/// (<c>page</c>, <c>pageSize</c>, <c>modifiedSince</c>); <see cref="Mapper"/> names the code that turns the platform's
/// records into Codat's shape.
/// </summary>
public sealed record DataEndpointDefinition
{
    public required string Path { get; init; }

    public bool SingleObject { get; init; }

    public required string Mapper { get; init; }
}

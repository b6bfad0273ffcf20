using System.Text.Json.Serialization;
using Consentry.Core.Connections;
using Consentry.Core.Integrations;
using Consentry.Querying;

namespace Consentry.Features.Integrations;

/// <summary>Codat's <c>Integration</c>; Codat calls the platform key <c>key</c> here (the wire name is pinned, the code says PlatformKey).</summary>
public sealed record IntegrationResponse(
    [property: JsonPropertyName("key")] string PlatformKey,
    string LogoUrl,
    string Name,
    bool Enabled,
    Guid SourceId,
    SourceType SourceType,
    Guid IntegrationId,
    bool IsOfflineConnector,
    bool IsBeta,
    string? DataProvidedBy,
    IReadOnlyList<DataTypeFeatureResponse> DatatypeFeatures);

public sealed record DataTypeFeatureResponse(string DataType, IReadOnlyList<SupportedFeature> SupportedFeatures);

/// <summary>Codat's <c>Branding</c>: image URLs served by Consentry itself.</summary>
public sealed record BrandingResponse(BrandingLogo Logo, BrandingButton Button, Guid SourceId);

public sealed record BrandingLogo(BrandingImage Full, BrandingImage Square);

public sealed record BrandingButton(BrandingImage Default, BrandingImage Hover);

public sealed record BrandingImage(ImageReference Image);

public sealed record ImageReference(string Src, string Alt);

/// <summary>Our extension: a client's settings for one integration. The secret is write-only.</summary>
/// <c>scopes</c> replaces the catalogue's scopes for the client's own app registration (an empty list goes back to them).
public sealed record IntegrationSettingsRequest(bool? Enabled, string? OAuthClientId, string? OAuthClientSecret, List<string>? Scopes = null);

/// <summary>
/// <c>simulated</c>: a simulator stands in for the vendor on this instance; <c>operatorCredentials</c>: the operator
/// configured an app registration for every client, so the client needs none of its own.
/// </summary>
public sealed record IntegrationSettingsResponse(
    string PlatformKey, bool Enabled, bool? EnabledOverride, string? OAuthClientId, bool HasOAuthClientSecret, DateTime? Updated,
    IReadOnlyList<string> Scopes, bool Simulated, bool OperatorCredentials);

/// <summary>An integration as one client sees it: what the query language filters.</summary>
public sealed record IntegrationView(IntegrationDefinition Definition, bool Enabled)
{
    public string PlatformKey => Definition.PlatformKey;

    public string Name => Definition.Name;

    public SourceType SourceType => Definition.SourceType;

    public static readonly QueryableProperties<IntegrationView> Properties = new QueryableProperties<IntegrationView>("Integration")
        .Add("key", i => i.Definition.PlatformKey)
        .Add("platformKey", i => i.Definition.PlatformKey)
        .Add("name", i => i.Definition.Name)
        .Add("enabled", i => i.Enabled)
        .Add("sourceType", i => i.Definition.SourceType)
        .Add("sourceId", i => i.Definition.SourceId)
        .Add("integrationId", i => i.Definition.IntegrationId)
        .Add("isBeta", i => i.Definition.IsBeta)
        .Add("isOfflineConnector", i => i.Definition.IsOfflineConnector)
        .Add("isSandbox", i => i.Definition.IsSandbox)
        .Add("dataProvidedBy", i => i.Definition.DataProvidedBy);
}

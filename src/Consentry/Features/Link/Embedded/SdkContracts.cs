using System.Text.Json.Serialization;
using Consentry.Core.Connections;
using Consentry.Features.Connections;

namespace Consentry.Features.Link.Embedded;

/// <summary>The SDK's <c>ConnectionCallbackArgs</c> (what onConnection and onConnectionStarted receive).</summary>
public sealed record SdkConnectionArgs(Guid ConnectionId, Guid IntegrationId, [property: JsonPropertyName("integrationKey")] string PlatformKey, string PlatformName, Guid SourceId, SourceType SourceType)
{
    public static SdkConnectionArgs Of(Connection c) => new(c.Id, c.IntegrationId, c.PlatformKey, c.PlatformName, c.SourceId, c.SourceType);
}

/// <summary>One platform the customer can pick, with its logo (its platform key is <c>key</c> on the wire, as in Codat's <c>Integration</c>).</summary>
public sealed record SdkIntegration([property: JsonPropertyName("key")] string PlatformKey, string Name, SourceType SourceType, string LogoUrl, bool IsSandbox, IReadOnlyList<string> DataTypes);

/// <summary>A category of the journey with the client's settings; the SDK's <c>sourceTypes</c> option narrows it in the browser.</summary>
public sealed record SdkCategory(
    string Key, string Title, SourceType SourceType, bool Enabled, bool Optional, bool FileUpload, string? FileUploadDescription,
    IReadOnlyList<SdkIntegration> Integrations, SdkConnectionArgs? Linked, int Uploads, bool Skipped);

/// <summary>Everything the embedded journey shows, read once at mount.</summary>
public sealed record SdkJourneyView(
    Guid CompanyId, string CompanyName, string BrandName, string? LogoUrl, string PrimaryColor, bool ShowLandingPage,
    bool ShowSandboxIntegrations, bool ShowBadge, SdkTexts Texts, IReadOnlyList<SdkCategory> Categories);

/// <summary>The client's plain-text journey texts (the SDK's Markdown <c>text</c> option overrides them).</summary>
public sealed record SdkTexts(string? LandingTitle, string? LandingSubtitle, string? ConsentPurpose, string? ConsentAccess,
    string? ConsentRetention, string? TermsAndConditions, string? TermsAndConditionsUrl);

/// <summary>A connection on the customer's "manage connections" screen.</summary>
public sealed record SdkConnection(
    Guid Id, Guid IntegrationId, [property: JsonPropertyName("integrationKey")] string PlatformKey, string PlatformName, Guid SourceId, SourceType SourceType, ConnectionStatus Status,
    DateTime Created, DateTime? LastSync, string LogoUrl, ConnectionImpactView Impact, DateTime? ConsentExpiresAt = null,
    IReadOnlyList<Consents.ConsentStateResponse>? Consents = null, IReadOnlyList<Consents.PendingConsentResponse>? Pending = null);

/// <summary><c>POST …/connections</c>: pick a platform. <c>mode</c> is Popup (default) or Redirect (with the page to come back to).</summary>
/// <remarks><paramref name="ConsentText"/> is the consent the SDK showed (its Markdown): it is what the ledger records.</remarks>
public sealed record SdkConnectRequest(string? PlatformKey, EmbedMode? Mode, string? ReturnUrl, string? ConsentText = null);

/// <summary><c>POST …/connections/{id}/authorize</c>: sign in again (reconnect) for an existing connection.</summary>
public sealed record SdkAuthorizeRequest(EmbedMode? Mode, string? ReturnUrl, string? ConsentText = null);

/// <summary>A connection and the URL that starts its sign-in (open it in the popup, or navigate the page to it).</summary>
public sealed record SdkAuthorization(SdkConnectionArgs Connection, string AuthorizeUrl);

/// <summary><c>POST …/events</c>: the steps only the browser sees (consented, skipped a category, completed).</summary>
public sealed record SdkEventRequest(string? Step, string? Category);

/// <summary>A file the customer uploaded instead of connecting a platform.</summary>
public sealed record SdkUpload(Guid Id, string Category, string FileName, long Size);

/// <summary><c>POST …/connections/{id}/consents</c>: the customer confirmed the additional consent the SDK showed.</summary>
public sealed record SdkConsentRequest(string? ConsentText);

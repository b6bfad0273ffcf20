namespace Consentry.Core.Integrations;

/// <summary>
/// A logo the operator uploaded for an integration, replacing the drawn one for every client: a platform's logo is the
/// platform's identity, the same whichever client's customer sees it (the catalogue and its branding URLs are
/// instance-wide too). Only validated PNG, WebP or script-free SVG is stored.
/// </summary>
public sealed class IntegrationLogo
{
    public required string PlatformKey { get; set; }

    /// <summary>The branding image it replaces: logo-square, logo-full, button or button-hover.</summary>
    public required string Variant { get; set; }

    public required byte[] Content { get; set; }

    public required string ContentType { get; set; }

    /// <summary>The strong ETag, quoted: a prefix of the content's SHA-256.</summary>
    public required string ETag { get; set; }

    public DateTime Updated { get; set; }
}

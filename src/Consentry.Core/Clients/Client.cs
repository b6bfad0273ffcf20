using Consentry.Core.Settings;

namespace Consentry.Core.Clients;

/// <summary>A customer of Consentry (Codat's "client" or "instance"): a fintech app. Every other object belongs to one.</summary>
public sealed class Client
{
    public Guid Id { get; set; }

    public required string Name { get; set; }

    public DateTime Created { get; set; }

    /// <summary>Codat's Profile: branding and the Link redirect settings.</summary>
    public ClientProfile Profile { get; set; } = new();

    /// <summary>Origins allowed to call the SDK endpoints from a browser (Codat's CORS settings).</summary>
    public List<string> AllowedOrigins { get; set; } = [];

    /// <summary>The client's sync settings, stored whole; the sync engine reads them.</summary>
    public SyncSettingsDocument? SyncSettings { get; set; }

    /// <summary>How the hosted Link pages look and behave for this client's customers; null means the defaults.</summary>
    public Link.LinkSettings? LinkSettings { get; set; }
}

/// <summary>Codat's Profile fields, stored with the client.</summary>
public sealed class ClientProfile
{
    public string? LogoUrl { get; set; }

    public string? IconUrl { get; set; }

    /// <summary>The redirect URL template used at the end of the Link journey; empty means "show our own page".</summary>
    public string RedirectUrl { get; set; } = "";

    public List<string> WhiteListUrls { get; set; } = [];
}

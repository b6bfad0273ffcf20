namespace Consentry.Sandbox;

/// <summary>Settings of the sandbox platforms, bound from the section given to <c>AddConsentrySandbox</c>.</summary>
public sealed class SandboxOptions
{
    /// <summary>The section the standalone host binds (the main host chooses its own).</summary>
    public const string SectionName = "Sandbox";

    public const string DefaultClientId = "consentry-local";
    public const string DefaultClientSecret = "consentry-local-secret";
    public const string DefaultClientRedirectUri = "http://localhost:5000/link/oauth/callback";

    /// <summary>
    /// The sandbox's public base URL including its prefix, e.g. <c>https://consentry.example/sandbox</c>. Platform
    /// <c>k</c> has the issuer <c>{BaseUrl}/k</c>. When empty, it is taken from each request (scheme, host, path base).
    /// </summary>
    public string? BaseUrl { get; set; }

    /// <summary>How long an access token works. Default one hour.</summary>
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long an authorization code can be exchanged. Default 60 seconds.</summary>
    public TimeSpan AuthorizationCodeLifetime { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long a consent given at the banking sandbox (sbbk) lasts, as in Open Banking. Default 90 days.</summary>
    public TimeSpan BankingConsentLifetime { get; set; } = TimeSpan.FromDays(90);

    /// <summary>How long the login and consent pages of one authorization request stay usable. Default 15 minutes.</summary>
    public TimeSpan AuthorizationRequestLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// When set, every interval after start about 1% of each collection's records get a new <c>modifiedDate</c>, so
    /// incremental reads (<c>modifiedSince</c>) have something to find. Off by default: the data never changes.
    /// </summary>
    public TimeSpan? MutationInterval { get; set; }

    /// <summary>
    /// The registered OAuth clients. When none is configured, one is registered: <see cref="DefaultClientId"/> /
    /// <see cref="DefaultClientSecret"/> with <see cref="DefaultClientRedirectUris"/>.
    /// </summary>
    public List<SandboxClientOptions> Clients { get; set; } = [];

    /// <summary>Redirect URIs of the default client (used only when <see cref="Clients"/> is empty).</summary>
    public List<string> DefaultClientRedirectUris { get; set; } = [];
}

/// <summary>One registered OAuth client: redirect URIs are compared exactly (no wildcards, no prefix matching).</summary>
public sealed class SandboxClientOptions
{
    public string ClientId { get; set; } = "";

    public string ClientSecret { get; set; } = "";

    /// <summary>Shown on the consent page ("… wants to read"); defaults to the client id.</summary>
    public string? DisplayName { get; set; }

    public List<string> RedirectUris { get; set; } = [];
}

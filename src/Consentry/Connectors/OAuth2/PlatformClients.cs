using Consentry.Connectors;
using Consentry.Core.Integrations;
using Consentry.Core.Persistence;
using Consentry.Core.Security;
using Consentry.Infrastructure.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Consentry.Connectors.OAuth2;

/// <summary>Consentry's own OAuth client at the built-in sandbox platforms (<c>Consentry:Sandbox</c>).</summary>
public sealed class SandboxConnectorOptions
{
    /// <summary>Where the sandbox platforms live; default <c>{PublicBaseUrl}/sandbox</c> (this process).</summary>
    public string? BaseUrl { get; set; }

    public string OAuthClientId { get; set; } = Sandbox.SandboxOptions.DefaultClientId;

    public string OAuthClientSecret { get; set; } = Sandbox.SandboxOptions.DefaultClientSecret;
}

/// <summary>
/// A platform's endpoints with placeholders filled, the scopes to ask for, and the OAuth client to use there: everything
/// a connector needs to reach the platform, whether it is the vendor or a simulator.
/// </summary>
public sealed record PlatformEndpoint(
    IntegrationDefinition Integration, OAuthEndpoints OAuth, string AuthorizeUrl, string TokenUrl, string? RevokeUrl,
    string? Issuer, string ClientId, string ClientSecret)
{
    /// <summary>The data API's base URL; null when Consentry cannot read the platform.</summary>
    public string? ApiBaseUrl { get; init; }

    /// <summary>Where the platform lists the accounts a token may use (Xero's <c>/connections</c>).</summary>
    public string? IdentityUrl { get; init; }

    /// <summary>The scopes to ask for (the client's, the operator's, else the catalogue's).</summary>
    public IReadOnlyList<string> Scopes { get; init; } = OAuth.Scopes;

    /// <summary>The pre-step's values (a Shopify shop) these URLs were filled with; empty when the platform has none.</summary>
    public IReadOnlyDictionary<string, string> Account { get; init; } = new Dictionary<string, string>();

    /// <summary>The same platform with per-account placeholders (<c>{shop}</c>) filled in, URL-encoded.</summary>
    public PlatformEndpoint ForAccount(IReadOnlyDictionary<string, string> account)
    {
        string Fill(string url) => account.Aggregate(url, (u, p) => u.Replace($"{{{p.Key}}}", Uri.EscapeDataString(p.Value), StringComparison.Ordinal));
        return account.Count == 0 ? this : this with
        {
            AuthorizeUrl = Fill(AuthorizeUrl), TokenUrl = Fill(TokenUrl), RevokeUrl = RevokeUrl is null ? null : Fill(RevokeUrl),
            ApiBaseUrl = ApiBaseUrl is null ? null : Fill(ApiBaseUrl), Account = account,
        };
    }
}

/// <summary>
/// Resolves, for the current client, how to talk OAuth 2.0 to a platform: the catalogue's endpoints (sandbox URLs on
/// the configured sandbox base), overridden by the operator's <see cref="PlatformHostOptions"/> (the vendor in production,
/// a simulator in development), and the client credentials (Consentry's for sandboxes; for real platforms the client's
/// own, decrypted, else the operator's).
/// </summary>
public sealed class PlatformClients(
    ConsentryDbContext db, SecretProtector secrets, PublicUrls urls, IOptions<SandboxConnectorOptions> sandbox, PlatformHosts hosts)
{
    public string SandboxBaseUrl => (sandbox.Value.BaseUrl ?? urls.Absolute("/sandbox")).TrimEnd('/');

    public static string CallbackPath(string platformKey) => $"/link/oauth/callback/{platformKey}";

    public string CallbackUrl(string platformKey) => urls.Absolute(CallbackPath(platformKey));

    public async Task<PlatformEndpoint?> ResolveAsync(IntegrationDefinition integration, CancellationToken ct)
    {
        if (integration.OAuth is not { } oauth)
        {
            return null;
        }

        var host = hosts.For(integration.PlatformKey);
        string clientId, secret;
        IReadOnlyList<string>? clientScopes = null;
        if (integration.IsSandbox)
        {
            (clientId, secret) = (sandbox.Value.OAuthClientId, sandbox.Value.OAuthClientSecret);
        }
        else
        {
            var setting = await db.IntegrationSettings.AsNoTracking().FirstOrDefaultAsync(s => s.PlatformKey == integration.PlatformKey, ct);
            if (setting is { HasCredentials: true } && !host.Simulated)
            {
                (clientId, secret) = (setting.OAuthClientId!, secrets.Unprotect(setting.ProtectedClientSecret!));
            }
            else if (host.HasCredentials)
            {
                (clientId, secret) = (host.ClientId!, host.ClientSecret!);
            }
            else
            {
                return null;
            }

            clientScopes = setting?.Scopes is { Count: > 0 } scopes ? scopes : null;
        }

        var issuer = integration.IsSandbox ? $"{SandboxBaseUrl}/{integration.PlatformKey}" : null;
        var apiBase = host.ApiBaseUrl ?? integration.Data?.BaseUrl;
        return new PlatformEndpoint(integration, oauth, Fill(host.HostedLinkUrl ?? host.AuthorizeUrl ?? oauth.AuthorizeUrl), Fill(host.TokenUrl ?? oauth.TokenUrl),
            (host.RevokeUrl ?? oauth.RevokeUrl) is { } revoke ? Fill(revoke) : null, issuer, clientId, secret)
        {
            ApiBaseUrl = apiBase is null ? null : Fill(apiBase),
            IdentityUrl = host.IdentityUrl ?? oauth.IdentityUrl,
            Scopes = clientScopes ?? (host.Scopes is { Length: > 0 } s ? s.Split(' ', StringSplitOptions.RemoveEmptyEntries) : oauth.Scopes),
        };
    }

    private string Fill(string url) => url.Replace("{sandboxBaseUrl}", SandboxBaseUrl, StringComparison.Ordinal);
}

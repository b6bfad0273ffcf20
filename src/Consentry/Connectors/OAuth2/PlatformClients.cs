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

/// <summary>A platform's endpoints with placeholders filled, and the OAuth client to use there.</summary>
public sealed record PlatformEndpoint(
    IntegrationDefinition Integration, OAuthEndpoints OAuth, string AuthorizeUrl, string TokenUrl, string? RevokeUrl,
    string? Issuer, string ClientId, string ClientSecret)
{
    /// <summary>The same platform with per-account placeholders (<c>{shop}</c>) filled in, URL-encoded.</summary>
    public PlatformEndpoint ForTenant(IReadOnlyDictionary<string, string> tenant)
    {
        string Fill(string url) => tenant.Aggregate(url, (u, p) => u.Replace($"{{{p.Key}}}", Uri.EscapeDataString(p.Value), StringComparison.Ordinal));
        return tenant.Count == 0 ? this : this with
        {
            AuthorizeUrl = Fill(AuthorizeUrl), TokenUrl = Fill(TokenUrl), RevokeUrl = RevokeUrl is null ? null : Fill(RevokeUrl),
        };
    }
}

/// <summary>
/// Resolves, for the current client, how to talk OAuth 2.0 to a platform: the catalogue's endpoints (sandbox URLs on
/// the configured sandbox base) and the client credentials (Consentry's for sandboxes, the client's own, decrypted, for
/// real platforms).
/// </summary>
public sealed class PlatformClients(ConsentryDbContext db, SecretProtector secrets, PublicUrls urls, IOptions<SandboxConnectorOptions> sandbox)
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

        string clientId, secret;
        if (integration.IsSandbox)
        {
            (clientId, secret) = (sandbox.Value.OAuthClientId, sandbox.Value.OAuthClientSecret);
        }
        else
        {
            var setting = await db.IntegrationSettings.AsNoTracking().FirstOrDefaultAsync(s => s.PlatformKey == integration.Key, ct);
            if (setting is not { HasCredentials: true })
            {
                return null;
            }

            (clientId, secret) = (setting.OAuthClientId!, secrets.Unprotect(setting.ProtectedClientSecret!));
        }

        var issuer = integration.IsSandbox ? $"{SandboxBaseUrl}/{integration.Key}" : null;
        return new PlatformEndpoint(integration, oauth, Fill(oauth.AuthorizeUrl), Fill(oauth.TokenUrl),
            oauth.RevokeUrl is null ? null : Fill(oauth.RevokeUrl), issuer, clientId, secret);
    }

    private string Fill(string url) => url.Replace("{sandboxBaseUrl}", SandboxBaseUrl, StringComparison.Ordinal);
}

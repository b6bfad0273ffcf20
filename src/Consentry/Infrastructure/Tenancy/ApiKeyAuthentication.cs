using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using Consentry.Core.Persistence;
using Consentry.Core.Security;
using Consentry.Infrastructure.Options;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Consentry.Infrastructure.Tenancy;

/// <summary>
/// Codat's authentication: <c>Authorization: Basic base64(apiKey)</c> (no user name, no colon). The key is hashed
/// and looked up by hash; the stored hash is compared in fixed time. The key itself is never logged.
/// </summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IMemoryCache cache,
    IOptions<ConsentryOptions> consentry)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string ClientIdClaim = "consentry:client_id";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        // The sandbox platforms' OAuth clients also send HTTP Basic (client_secret_basic): never an API key, so never
        // hashed and looked up.
        if (Request.Path.StartsWithSegments("/sandbox", StringComparison.OrdinalIgnoreCase)
            || !TryReadKey(Request.Headers.Authorization.ToString(), out var apiKey))
        {
            return AuthenticateResult.NoResult();
        }

        var hash = ApiKeySecret.Hash(apiKey);
        var cacheKey = "apikey:" + Convert.ToBase64String(hash);
        if (!cache.TryGetValue(cacheKey, out Guid clientId))
        {
            // Keys are found before a client is known, so this one lookup bypasses the tenant filter. The DbContext is
            // resolved only on a cache miss, so cached requests (and anonymous ones) do not build one here.
            var db = Context.RequestServices.GetRequiredService<ConsentryDbContext>();
            var found = await db.ApiKeys.IgnoreQueryFilters().AsNoTracking()
                .Where(k => k.Hash == hash)
                .Select(k => new { k.Hash, k.ClientId })
                .FirstOrDefaultAsync(Context.RequestAborted);
            if (found is null || !ApiKeySecret.Matches(found.Hash, hash))
            {
                return AuthenticateResult.Fail("Unknown API key.");
            }

            clientId = found.ClientId;
            if (consentry.Value.ApiKeyCacheSeconds > 0)
            {
                cache.Set(cacheKey, clientId, TimeSpan.FromSeconds(consentry.Value.ApiKeyCacheSeconds));
            }
        }

        Context.RequestServices.GetRequiredService<Core.Tenancy.ClientContext>().Set(clientId);
        var identity = new ClaimsIdentity([new Claim(ClientIdClaim, clientId.ToString())], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    /// <summary>Forgets a deleted key at once on this instance (other instances forget it within the cache lifetime).</summary>
    public static void Forget(IMemoryCache cache, byte[] hash) => cache.Remove("apikey:" + Convert.ToBase64String(hash));

    internal static bool TryReadKey(string header, out string apiKey)
    {
        apiKey = "";
        const string prefix = "Basic ";
        if (!header.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        Span<byte> buffer = stackalloc byte[512];
        if (!Convert.TryFromBase64String(header[prefix.Length..].Trim(), buffer, out var written) || written == 0)
        {
            return false;
        }

        var decoded = Encoding.UTF8.GetString(buffer[..written]);
        // Codat sends base64(apiKey); tolerate clients that send the HTTP Basic form base64(apiKey + ":").
        apiKey = decoded.EndsWith(':') ? decoded[..^1] : decoded;
        return apiKey.Length > 0;
    }
}

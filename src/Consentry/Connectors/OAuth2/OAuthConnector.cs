using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;

namespace Consentry.Connectors.OAuth2;

/// <summary>The tokens a code or refresh token bought.</summary>
public sealed record TokenSet(string AccessToken, string? RefreshToken, DateTime? ExpiresAt, string? Scope, DateTime? ConsentExpiresAt)
{
    /// <summary>
    /// The token response's other top-level values, as text (Stripe's <c>stripe_user_id</c>, a platform's account id),
    /// for the connector's <see cref="IPlatformConnector.DiscoverAccountsAsync"/>. Never logged.
    /// </summary>
    public IReadOnlyDictionary<string, string> Fields { get; init; } = new Dictionary<string, string>();
}

/// <summary>The result of a token request: tokens, or the platform's error.</summary>
public sealed record TokenResult(TokenSet? Tokens, int? StatusCode, string? Error, string? ErrorDescription)
{
    public bool Succeeded => Tokens is not null;
}

/// <summary>
/// The generic OAuth 2.0 connector (authorization code + PKCE S256), configured per platform from the catalogue: builds
/// the authorization URL, exchanges codes and refresh tokens, revokes (RFC 7009). Speaks real HTTP to the platform.
/// </summary>
public sealed class OAuthConnector(IHttpClientFactory clients, TimeProvider time)
{
    public const string ClientName = "oauth";

    /// <summary>A fresh random value of 256 bits, base64url: used for state, PKCE verifiers and browser bindings.</summary>
    public static string NewSecret() => Base64UrlTextEncoder.Encode(RandomNumberGenerator.GetBytes(32));

    /// <summary>RFC 7636 S256: base64url(SHA-256(verifier)).</summary>
    public static string Challenge(string verifier) => Base64UrlTextEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));

    public static string AuthorizeUrl(PlatformEndpoint platform, string redirectUri, string state, string codeVerifier,
        IReadOnlyDictionary<string, string>? connectorParameters = null)
    {
        var query = new Dictionary<string, string?>
        {
            ["response_type"] = "code",
            ["client_id"] = platform.ClientId,
            ["redirect_uri"] = redirectUri,
            ["scope"] = string.Join(platform.OAuth.ScopeSeparator, platform.Scopes),
            ["state"] = state,
        };
        if (platform.OAuth.Pkce)
        {
            query["code_challenge"] = Challenge(codeVerifier);
            query["code_challenge_method"] = "S256";
        }

        foreach (var (key, value) in platform.OAuth.ExtraAuthorizeParameters.Concat(connectorParameters ?? new Dictionary<string, string>()))
        {
            query[key] = value;
        }

        return QueryHelpers.AddQueryString(platform.AuthorizeUrl, query);
    }

    public Task<TokenResult> ExchangeCodeAsync(PlatformEndpoint platform, string code, string redirectUri, string codeVerifier, CancellationToken ct) =>
        TokenRequestAsync(platform, new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = code,
            ["redirect_uri"] = redirectUri,
            ["code_verifier"] = codeVerifier,
        }, ct);

    public Task<TokenResult> RefreshAsync(PlatformEndpoint platform, string refreshToken, CancellationToken ct) =>
        TokenRequestAsync(platform, new Dictionary<string, string> { ["grant_type"] = "refresh_token", ["refresh_token"] = refreshToken }, ct);

    /// <summary>Revokes a token at the platform when it offers revocation; true when it answered 2xx.</summary>
    public async Task<bool> RevokeAsync(PlatformEndpoint platform, string token, string tokenTypeHint, CancellationToken ct)
    {
        if (platform.RevokeUrl is null)
        {
            return false;
        }

        using var request = Authenticated(platform, platform.RevokeUrl, new Dictionary<string, string> { ["token"] = token, ["token_type_hint"] = tokenTypeHint });
        try
        {
            using var response = await clients.CreateClient(ClientName).SendAsync(request, ct);
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    private async Task<TokenResult> TokenRequestAsync(PlatformEndpoint platform, Dictionary<string, string> form, CancellationToken ct)
    {
        using var request = Authenticated(platform, platform.TokenUrl, form);
        try
        {
            using var response = await clients.CreateClient(ClientName).SendAsync(request, ct);
            var text = await response.Content.ReadAsStringAsync(ct);
            using var json = TryParse(text);
            var root = json?.RootElement;
            if (!response.IsSuccessStatusCode || root is null || !root.Value.TryGetProperty("access_token", out var access))
            {
                return new TokenResult(null, (int)response.StatusCode, Read(root, "error") ?? "invalid_response", Read(root, "error_description"));
            }

            var now = time.GetUtcNow().UtcDateTime;
            DateTime? expires = root.Value.TryGetProperty("expires_in", out var e) && e.TryGetInt64(out var seconds) ? now.AddSeconds(seconds) : null;
            DateTime? consent = Read(root, "consent_expires_at") is { } c && DateTime.TryParse(c, System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal, out var parsed) ? parsed : null;
            var tokens = new TokenSet(access.GetString()!, Read(root, "refresh_token"), expires, Read(root, "scope"), consent) { Fields = OtherFields(root.Value) };
            return new TokenResult(tokens, (int)response.StatusCode, null, null);
        }
        catch (HttpRequestException e)
        {
            return new TokenResult(null, null, "unreachable", e.Message);
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            return new TokenResult(null, null, "timeout", "The platform did not answer in time.");
        }
    }

    /// <summary>client_secret_basic or client_secret_post, as the catalogue says for the platform.</summary>
    private static HttpRequestMessage Authenticated(PlatformEndpoint platform, string url, Dictionary<string, string> form)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url);
        if (platform.OAuth.ClientAuthentication == "body")
        {
            form["client_id"] = platform.ClientId;
            form["client_secret"] = platform.ClientSecret;
        }
        else
        {
            var basic = $"{Uri.EscapeDataString(platform.ClientId)}:{Uri.EscapeDataString(platform.ClientSecret)}";
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(basic)));
        }

        request.Content = new FormUrlEncodedContent(form);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return request;
    }

    private static JsonDocument? TryParse(string text)
    {
        try
        {
            return text.Length == 0 ? null : JsonDocument.Parse(text);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static readonly HashSet<string> TokenFields = ["access_token", "refresh_token", "expires_in", "scope", "consent_expires_at", "token_type"];

    private static Dictionary<string, string> OtherFields(JsonElement root) => root.EnumerateObject()
        .Where(p => !TokenFields.Contains(p.Name) && p.Value.ValueKind is JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False)
        .ToDictionary(p => p.Name, p => p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText(), StringComparer.Ordinal);

    private static string? Read(JsonElement? root, string name) =>
        root is { ValueKind: JsonValueKind.Object } r && r.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}

using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace Consentry.Sandbox.OAuth;

/// <summary>An error body per RFC 6749 §5.2 (also used by the data API, RFC 6750).</summary>
internal sealed record OAuthError(
    [property: JsonPropertyName("error")] string Error,
    [property: JsonPropertyName("error_description"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Description);

/// <summary>A successful token response (RFC 6749 §5.1), with the banking sandbox's consent expiry as an extension.</summary>
internal sealed record TokenResponse(
    [property: JsonPropertyName("access_token")] string AccessToken,
    [property: JsonPropertyName("token_type")] string TokenType,
    [property: JsonPropertyName("expires_in")] long ExpiresIn,
    [property: JsonPropertyName("refresh_token")] string RefreshToken,
    [property: JsonPropertyName("scope")] string Scope,
    [property: JsonPropertyName("consent_expires_at"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ConsentExpiresAt);

internal static class OAuthResponses
{
    public const string InvalidRequest = "invalid_request";
    public const string InvalidClient = "invalid_client";
    public const string InvalidGrant = "invalid_grant";
    public const string InvalidScope = "invalid_scope";
    public const string UnsupportedGrantType = "unsupported_grant_type";
    public const string UnsupportedResponseType = "unsupported_response_type";
    public const string AccessDenied = "access_denied";
    public const string ServerError = "server_error";
    public const string InvalidToken = "invalid_token";
    public const string InsufficientScope = "insufficient_scope";
    public const string ConsentExpired = "consent_expired";
    public const string RateLimited = "rate_limited";

    public static IResult Json(object body, int statusCode = StatusCodes.Status200OK) =>
        Results.Json(body, SandboxJson.Options, "application/json; charset=utf-8", statusCode);

    public static IResult Error(string error, string? description, int statusCode = StatusCodes.Status400BadRequest) =>
        Json(new OAuthError(error, description), statusCode);

    /// <summary>The client's redirect URI with the given parameters added to its query (RFC 6749 §4.1.2).</summary>
    public static string RedirectUri(string redirectUri, IEnumerable<KeyValuePair<string, string?>> parameters) =>
        QueryHelpers.AddQueryString(redirectUri, parameters.Where(p => p.Value is not null));

    /// <summary>ISO 8601 in UTC with a Z, to the second.</summary>
    public static string Iso(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
}

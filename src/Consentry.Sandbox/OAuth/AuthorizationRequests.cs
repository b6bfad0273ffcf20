using System.Security.Cryptography;
using System.Text.Json;
using Consentry.Sandbox.Platforms;
using Microsoft.AspNetCore.DataProtection;

namespace Consentry.Sandbox.OAuth;

/// <summary>A validated authorization request waiting for the user; <see cref="Username"/> is set once signed in.</summary>
internal sealed record AuthorizationRequest(
    string Platform,
    string ClientId,
    string RedirectUri,
    IReadOnlyList<string> Scopes,
    string? State,
    string CodeChallenge,
    DateTimeOffset ExpiresAt,
    string? Username = null);

/// <summary>
/// Carries the pending request between the login and consent pages in a hidden field protected by ASP.NET Core Data
/// Protection, so the server keeps nothing until a code is issued. Login and consent use different purposes: a login
/// form's value cannot be replayed as an already signed-in consent.
/// </summary>
internal sealed class AuthorizationRequests(IDataProtectionProvider provider, TimeProvider time)
{
    private readonly IDataProtector _login = provider.CreateProtector("Consentry.Sandbox.AuthorizationRequest.Login.v1");
    private readonly IDataProtector _consent = provider.CreateProtector("Consentry.Sandbox.AuthorizationRequest.Consent.v1");

    public string ForLogin(AuthorizationRequest request) => _login.Protect(JsonSerializer.Serialize(request with { Username = null }));

    public string ForConsent(AuthorizationRequest request) => _consent.Protect(JsonSerializer.Serialize(request));

    public AuthorizationRequest? ReadLogin(string? value, SandboxPlatform platform) => Read(_login, value, platform);

    public AuthorizationRequest? ReadConsent(string? value, SandboxPlatform platform) =>
        Read(_consent, value, platform) is { Username: not null } request ? request : null;

    private AuthorizationRequest? Read(IDataProtector protector, string? value, SandboxPlatform platform)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        try
        {
            var request = JsonSerializer.Deserialize<AuthorizationRequest>(protector.Unprotect(value));
            return request is not null && request.Platform == platform.Key && request.ExpiresAt > time.GetUtcNow() ? request : null;
        }
        catch (Exception e) when (e is CryptographicException or JsonException or FormatException)
        {
            return null;
        }
    }
}

using Consentry.Core.Errors;
using Consentry.Core.Integrations;
using Consentry.Core.Persistence;
using Consentry.Core.Security;
using Microsoft.EntityFrameworkCore;

namespace Consentry.Features.Integrations;

/// <summary>
/// A client's setting of one integration: on or off, and its own OAuth client id and secret for a real platform (the
/// secret encrypted at rest, never answered). Each answers the setting or why not; <see cref="IntegrationSettingEndpoints"/>
/// (<c>/integrations/{key}/settings</c>) and the portal's Settings › Integrations page adapt it.
/// </summary>
internal static class ManageIntegrationSettings
{
    public static async Task<Result<IntegrationSettingsResponse>> GetAsync(
        string platformKey, ConsentryDbContext db, IntegrationCatalogue catalogue, CancellationToken ct)
    {
        if (catalogue.Find(platformKey) is not { } integration)
        {
            return IntegrationMessages.NotFound(platformKey);
        }

        var setting = await db.IntegrationSettings.AsNoTracking().FirstOrDefaultAsync(s => s.PlatformKey == platformKey, ct);
        return ToResponse(integration, setting);
    }

    public static async Task<Result<IntegrationSettingsResponse>> SaveAsync(
        string platformKey, IntegrationSettingsRequest? body, ConsentryDbContext db, IntegrationCatalogue catalogue,
        SecretProtector secrets, TimeProvider time, CancellationToken ct)
    {
        if (catalogue.Find(platformKey) is not { } integration)
        {
            return IntegrationMessages.NotFound(platformKey);
        }

        if (body is null)
        {
            return Error.Validation("A JSON body is required: {enabled, oauthClientId, oauthClientSecret}.");
        }

        if (Validate(integration, body) is { } invalid)
        {
            return invalid;
        }

        var setting = await db.IntegrationSettings.FirstOrDefaultAsync(s => s.PlatformKey == platformKey, ct);
        if (setting is null)
        {
            setting = new IntegrationSetting { PlatformKey = platformKey };
            db.IntegrationSettings.Add(setting);
        }

        setting.Enabled = body.Enabled ?? setting.Enabled;
        if (body.OAuthClientId is not null)
        {
            setting.OAuthClientId = body.OAuthClientId.Trim();
        }

        if (body.OAuthClientSecret is not null)
        {
            setting.ProtectedClientSecret = secrets.Protect(body.OAuthClientSecret);
        }

        if (body.Scopes is not null)
        {
            setting.Scopes = body.Scopes.Count == 0 ? null : [.. body.Scopes.Select(s => s.Trim())];
        }

        if (setting is { Enabled: true } && !integration.IsSandbox && !setting.HasCredentials && !integration.HasOperatorCredentials)
        {
            return Error.Validation($"'{integration.Name}' can only be enabled once oauthClientId and oauthClientSecret are set.");
        }

        setting.Updated = time.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
        return ToResponse(integration, setting);
    }

    /// <summary>Forgets the client's setting (the integration falls back to its default); null when done, else why not.</summary>
    public static async Task<Error?> DeleteAsync(string platformKey, ConsentryDbContext db, IntegrationCatalogue catalogue, CancellationToken ct)
    {
        if (catalogue.Find(platformKey) is null)
        {
            return IntegrationMessages.NotFound(platformKey);
        }

        await db.IntegrationSettings.Where(s => s.PlatformKey == platformKey).ExecuteDeleteAsync(ct);
        return null;
    }

    private static Error? Validate(IntegrationDefinition integration, IntegrationSettingsRequest body)
    {
        if (integration.IsSandbox && (body.OAuthClientId is not null || body.OAuthClientSecret is not null))
        {
            return Error.Validation("Sandbox integrations use Consentry's own credentials; only 'enabled' can be set.");
        }

        if (!integration.IsSandbox && integration.OAuth is null && (body.OAuthClientId is not null || body.Enabled == true))
        {
            return Error.Validation($"'{integration.Name}' does not connect with OAuth 2.0 and cannot be enabled here.");
        }

        if (body.OAuthClientId is { } id && (string.IsNullOrWhiteSpace(id) || id.Length > 512))
        {
            return Error.Validation("oauthClientId must be 1 to 512 characters.");
        }

        if (body.Scopes is { } scopes && (integration.IsSandbox || scopes.Count > 50
            || scopes.Any(s => string.IsNullOrWhiteSpace(s) || s.Trim().Length > 200 || s.Trim().Any(c => c <= ' ' || c == '"' || c == '\\'))))
        {
            return Error.Validation(integration.IsSandbox
                ? "Sandbox integrations use Consentry's own scopes."
                : "scopes must be at most 50 scope names of 1 to 200 printable characters without spaces.");
        }

        return body.OAuthClientSecret is { } secret && (secret.Length == 0 || secret.Length > 4096)
            ? Error.Validation("oauthClientSecret must be 1 to 4096 characters.")
            : null;
    }

    private static IntegrationSettingsResponse ToResponse(IntegrationDefinition integration, IntegrationSetting? setting) => new(
        integration.PlatformKey, integration.IsEnabledFor(setting), setting?.Enabled, setting?.OAuthClientId,
        setting?.ProtectedClientSecret is not null, setting?.Updated,
        setting?.Scopes ?? integration.OAuth?.Scopes ?? [], integration.IsSimulated, integration.HasOperatorCredentials);
}

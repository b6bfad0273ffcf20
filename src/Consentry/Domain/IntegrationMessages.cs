using Consentry.Core.Integrations;

namespace Consentry.Domain;

internal static class IntegrationMessages
{
    /// <summary>Why the integration cannot be connected (a template and values: the Link pages show it in the customer's language).</summary>
    public static FormattableString NotEnabled(IntegrationDefinition integration) => integration switch
    {
        { IsSandbox: true } => $"Integration '{integration.Name}' ({integration.PlatformKey}) is switched off for this client.",
        { OAuth: null } => $"Integration '{integration.Name}' ({integration.PlatformKey}) cannot be connected by OAuth 2.0 here.",
        _ => $"Integration '{integration.Name}' ({integration.PlatformKey}) is not enabled: set its OAuth client credentials first (PUT /integrations/{integration.PlatformKey}/settings with oauthClientId and oauthClientSecret).",
    };

    public static Core.Errors.Error NotFound(string platformKey) =>
        Core.Errors.Error.NotFound($"No integration was found with the platformKey '{platformKey}'.");
}

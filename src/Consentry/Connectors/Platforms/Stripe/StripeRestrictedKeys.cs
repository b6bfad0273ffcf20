using System.Net.Http.Headers;
using System.Text.Json;
using Consentry.Connectors.OAuth2;

namespace Consentry.Connectors.Platforms.Stripe;

/// <summary>
/// Stripe (<c>exgd</c>) linked with a restricted API key (<c>rk_live_…</c>, <c>rk_test_…</c>) instead of Connect: the
/// key is checked with <c>GET /v1/account</c> (Stripe takes a secret or restricted key as a bearer token), and the
/// account it belongs to becomes the connection's. Reads then use the key itself, without a <c>Stripe-Account</c> header
/// (<c>keyType: restricted</c>).
/// </summary>
public sealed class StripeRestrictedKeys(PlatformHttp http) : ICredentialConnector
{
    public const string PlatformKey = "exgd";

    /// <summary>The form field holding the key (the catalogue's <c>credentials.fields[].name</c>).</summary>
    public const string ApiKeyField = "apiKey";

    public IReadOnlyCollection<string> PlatformKeys => [PlatformKey];

    public async Task<CredentialCheck> CheckAsync(PlatformEndpoint platform, IReadOnlyDictionary<string, string> values, CancellationToken ct)
    {
        if (platform.ApiBaseUrl is not { } baseUrl || !values.TryGetValue(ApiKeyField, out var apiKey))
        {
            return new CredentialCheck.Unavailable("Stripe cannot be reached from here.");
        }

        var request = new HttpRequestMessage(HttpMethod.Get, $"{baseUrl.TrimEnd('/')}/v1/account");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        var answer = await http.SendAsync(request, ct);
        using var document = answer.Document;
        // Stripe's own error messages repeat part of the key ("rk_test_****1234"): only our words reach the customer.
        switch (answer.Problem)
        {
            case DataPage.Unauthorized:
                return new CredentialCheck.Refused(
                    "Stripe did not accept this key. Copy the restricted key again from your Stripe Dashboard (Developers, API keys): it may have been rolled or deleted.");
            case DataPage.Forbidden:
                return new CredentialCheck.Refused(
                    "Stripe accepted this key but it may not read your account. Edit the restricted key to give it Read access to Accounts and the resources listed, then try again.");
            case DataPage.RateLimited:
                return new CredentialCheck.Unavailable("Stripe is busy right now. Wait a moment and try again.");
            case not null:
                return new CredentialCheck.Unavailable("Stripe could not check the key just now. Try again in a moment.");
        }

        return document!.RootElement is { ValueKind: JsonValueKind.Object } account && account.TryGetProperty("id", out var id)
               && id.GetString() is { Length: > 0 } accountId && accountId.StartsWith("acct_", StringComparison.Ordinal)
            ? new CredentialCheck.Accepted(apiKey, new Dictionary<string, string> { ["keyType"] = "restricted", ["accountId"] = accountId })
            : new CredentialCheck.Unavailable("Stripe's answer did not name an account. Try again in a moment.");
    }
}

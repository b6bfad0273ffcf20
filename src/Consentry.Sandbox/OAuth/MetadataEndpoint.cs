using Consentry.Sandbox.Platforms;
using Microsoft.AspNetCore.Http;

namespace Consentry.Sandbox.OAuth;

/// <summary>Authorization server metadata (RFC 8414), so clients can discover the endpoints and PKCE support.</summary>
internal static class MetadataEndpoint
{
    private static readonly string[] ResponseTypes = ["code"];
    private static readonly string[] ResponseModes = ["query"];
    private static readonly string[] GrantTypes = ["authorization_code", "refresh_token"];
    private static readonly string[] ChallengeMethods = [Pkce.S256];
    private static readonly string[] ClientAuth = ["client_secret_basic", "client_secret_post"];

    public static IResult Get(HttpContext context, SandboxPlatform platform, SandboxSite site)
    {
        var issuer = site.Issuer(context, platform);
        return OAuthResponses.Json(new Dictionary<string, object>
        {
            ["issuer"] = issuer,
            ["authorization_endpoint"] = $"{issuer}/oauth/authorize",
            ["token_endpoint"] = $"{issuer}/oauth/token",
            ["revocation_endpoint"] = $"{issuer}/oauth/revoke",
            ["response_types_supported"] = ResponseTypes,
            ["response_modes_supported"] = ResponseModes,
            ["grant_types_supported"] = GrantTypes,
            ["code_challenge_methods_supported"] = ChallengeMethods,
            ["token_endpoint_auth_methods_supported"] = ClientAuth,
            ["revocation_endpoint_auth_methods_supported"] = ClientAuth,
            ["scopes_supported"] = platform.Scopes.Select(s => s.Name).ToArray(),
            ["authorization_response_iss_parameter_supported"] = true,
        });
    }
}

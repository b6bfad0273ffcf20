using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Consentry.Sandbox.Platforms;
using Microsoft.AspNetCore.Http;
using static Consentry.Sandbox.OAuth.OAuthResponses;

namespace Consentry.Sandbox.OAuth;

/// <summary>Client authentication at the token and revocation endpoints: HTTP Basic or client_secret_post (RFC 6749 §2.3.1).</summary>
internal static class ClientAuthentication
{
    /// <summary>The form of a well-formed request (POST, urlencoded, no repeated parameter), or the error to answer.</summary>
    public static async Task<(IFormCollection? Form, IResult? Error)> ReadFormAsync(HttpContext context)
    {
        // No cache may keep a token response (RFC 6749 §5.1); errors get the same headers for simplicity.
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers.Pragma = "no-cache";
        if (!MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var type)
            || !string.Equals(type.MediaType, "application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            return (null, Error(InvalidRequest, "Send the parameters as application/x-www-form-urlencoded."));
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        if (form.FirstOrDefault(p => p.Value.Count > 1) is { Key: { } repeated })
        {
            return (null, Error(InvalidRequest, $"The parameter {repeated} must not be repeated."));
        }

        return (form, null);
    }

    public static (RegisteredClient? Client, IResult? Error) Authenticate(
        HttpContext context, IFormCollection form, SandboxClients clients, SandboxPlatform platform)
    {
        string? clientId = form["client_id"];
        string? secret = form["client_secret"];
        var header = context.Request.Headers.Authorization.ToString();
        var usedBasic = header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase);
        if (usedBasic)
        {
            if (secret is not null)
            {
                return (null, Error(InvalidRequest, "Use one client authentication method, not both Basic and client_secret."));
            }

            if (!TryParseBasic(header["Basic ".Length..].Trim(), out var basicId, out var basicSecret)
                || (clientId is not null && clientId != basicId))
            {
                return (null, Unauthorized(context, platform, usedBasic));
            }

            (clientId, secret) = (basicId, basicSecret);
        }

        if (clientId is null || secret is null)
        {
            return (null, Unauthorized(context, platform, usedBasic));
        }

        return clients.Authenticate(clientId, secret) is { } client ? (client, null) : (null, Unauthorized(context, platform, usedBasic));
    }

    /// <summary>HTTP Basic only, with the token endpoint's check: the control API's client authentication.</summary>
    public static (RegisteredClient? Client, IResult? Error) AuthenticateBasic(HttpContext context, SandboxClients clients, SandboxPlatform platform)
    {
        var header = context.Request.Headers.Authorization.ToString();
        return header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase)
            && TryParseBasic(header["Basic ".Length..].Trim(), out var clientId, out var secret)
            && clients.Authenticate(clientId, secret) is { } client
                ? (client, null)
                : (null, Unauthorized(context, platform, usedBasic: true));
    }

    private static IResult Unauthorized(HttpContext context, SandboxPlatform platform, bool usedBasic)
    {
        context.Response.Headers.WWWAuthenticate = $"Basic realm=\"{platform.Key}\"";
        return Error(
            InvalidClient,
            usedBasic ? "Client authentication failed." : "Client authentication failed: send HTTP Basic credentials or client_id and client_secret.",
            StatusCodes.Status401Unauthorized);
    }

    /// <summary>base64(urlencode(id) ":" urlencode(secret)), as RFC 6749 §2.3.1 asks.</summary>
    private static bool TryParseBasic(string value, out string clientId, out string secret)
    {
        clientId = secret = "";
        Span<byte> buffer = new byte[value.Length];
        if (!Convert.TryFromBase64String(value, buffer, out var written))
        {
            return false;
        }

        var decoded = Encoding.UTF8.GetString(buffer[..written]);
        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            return false;
        }

        clientId = WebUtility.UrlDecode(decoded[..colon]);
        secret = WebUtility.UrlDecode(decoded[(colon + 1)..]);
        return true;
    }
}

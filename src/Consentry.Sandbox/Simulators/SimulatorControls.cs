using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Consentry.Sandbox.Simulators;

/// <summary>What every simulator's test controls (<c>control/…</c>) share: only the simulator's own client may use them.</summary>
internal static class SimulatorControls
{
    /// <summary>
    /// Answers 401 to any control call without HTTP Basic credentials that <paramref name="isClient"/> accepts (the
    /// simulator's client id and secret, each URL-encoded as RFC 6749 §2.3.1 asks).
    /// </summary>
    public static RouteGroupBuilder RequireClient(this RouteGroupBuilder control, Func<string, string, bool> isClient)
    {
        control.AddEndpointFilter(async (context, next) =>
            Authorized(context.HttpContext, isClient) ? await next(context) : Results.StatusCode(StatusCodes.Status401Unauthorized));
        return control;
    }

    private static bool Authorized(HttpContext context, Func<string, string, bool> isClient)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        try
        {
            var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..].Trim()));
            var colon = decoded.IndexOf(':', StringComparison.Ordinal);
            return colon > 0 && isClient(WebUtility.UrlDecode(decoded[..colon]), WebUtility.UrlDecode(decoded[(colon + 1)..]));
        }
        catch (FormatException)
        {
            return false;
        }
    }
}

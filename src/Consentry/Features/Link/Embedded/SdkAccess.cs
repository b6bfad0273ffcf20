using Consentry.Core.Clients;
using Consentry.Core.Errors;
using Consentry.Core.Security;
using Consentry.Features.Settings;
using Consentry.Infrastructure.Errors;
using Consentry.Infrastructure.Http;
using Microsoft.Extensions.Primitives;

namespace Consentry.Features.Link.Embedded;

/// <summary>
/// The gate of the SDK's JSON endpoints (<c>/link/api/companies/{companyId}/…</c>): a browser's <c>Origin</c> must be
/// Consentry's own (the embedded journey) or one of the client's CORS allowed origins (the app's page), and the caller
/// must present the company access token of exactly this company as <c>Authorization: Bearer</c>. Sets the tenant.
/// </summary>
internal sealed class SdkAccessFilter : IEndpointFilter
{
    public const string AllowedHeaders = "authorization, content-type";
    public const string AllowedMethods = "GET, POST, PATCH, DELETE";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var services = http.RequestServices;
        var link = await LoadAsync(http);
        if (link is null)
        {
            return Unauthorized();
        }

        if (CheckOrigin(http, link.Client) is { } refused)
        {
            return refused;
        }

        var bearer = http.Request.Headers.Authorization.ToString();
        var token = bearer.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            ? services.GetRequiredService<CompanyAccessTokens>().Validate(bearer[7..].Trim())
            : null;
        if (token is null || token.CompanyId != link.Company.Id || token.ClientId != link.Client.Id)
        {
            return Unauthorized();
        }

        http.Items[typeof(LinkContext)] = link;
        return await next(context);
    }

    /// <summary>The CORS preflight: answered for allowed origins only (it carries no token, so nothing else is checked).</summary>
    public static async Task<IResult> PreflightAsync(HttpContext http)
    {
        var link = await LoadAsync(http);
        if (link is null)
        {
            return Unauthorized();
        }

        if (CheckOrigin(http, link.Client) is { } refused)
        {
            return refused;
        }

        http.Response.Headers.AccessControlAllowMethods = AllowedMethods;
        http.Response.Headers.AccessControlAllowHeaders = AllowedHeaders;
        http.Response.Headers.AccessControlMaxAge = "600";
        return TypedResults.NoContent();
    }

    public static LinkContext Of(HttpContext http) => (LinkContext)http.Items[typeof(LinkContext)]!;

    /// <summary>Whether a browser on <paramref name="origin"/> may use the company's SDK endpoints and embed its pages.</summary>
    public static bool IsAllowed(Client client, string origin, PublicUrls urls) =>
        UrlRules.NormalizeOrigin(origin) is { } normalized
        && (client.AllowedOrigins.Contains(normalized) || normalized == UrlRules.NormalizeOrigin(urls.BaseUrl));

    private static async Task<LinkContext?> LoadAsync(HttpContext http) =>
        Guid.TryParse(http.Request.RouteValues["companyId"]?.ToString(), out var companyId)
            ? await http.RequestServices.GetRequiredService<LinkJourney>().LoadAsync(companyId, http.RequestAborted)
            : null;

    private static CodatError? CheckOrigin(HttpContext http, Client client)
    {
        var origin = http.Request.Headers.Origin;
        if (StringValues.IsNullOrEmpty(origin))
        {
            return null; // not a cross-origin browser request: the token alone decides
        }

        if (!IsAllowed(client, origin.ToString(), http.RequestServices.GetRequiredService<PublicUrls>()))
        {
            return new CodatError(new Error(ErrorKind.Forbidden,
                $"The origin {origin} is not allowed to use this company's SDK: add it to the allowed origins (POST /corsSettings)."));
        }

        http.Response.Headers.AccessControlAllowOrigin = origin;
        http.Response.Headers.Vary = "Origin";
        return null;
    }

    private static CodatError Unauthorized() => new(new Error(ErrorKind.Unauthorized,
        "A valid company access token for this company is required (Authorization: Bearer, from GET /companies/{companyId}/accessToken)."));
}

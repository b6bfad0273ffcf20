using Consentry.Core.Errors;
using Consentry.Core.Persistence;
using Consentry.Infrastructure.Errors;
using Consentry.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Consentry.Features.Connections;

/// <summary>
/// <c>PUT /companies/{companyId}/connections/{connectionId}/authorization</c> (Codat's update-connection-authorization):
/// the body is the platform's credential form as <c>{"fieldName": "value"}</c> (Stripe: <c>{"apiKey": "rk_live_…"}</c>).
/// The platform checks them first; only accepted credentials are stored (encrypted) and link the connection exactly as the
/// Link page does. The answer is the connection, which never contains a credential.
/// </summary>
internal static class UpdateAuthorization
{
    public static async Task<Results<Ok<ConnectionResponse>, CodatError, PlatformUnavailable>> Handle(
        Guid companyId, Guid connectionId, Dictionary<string, string?>? body, ConsentryDbContext db, CredentialLinks credentials,
        PublicUrls urls, CancellationToken ct)
    {
        var found = await db.FindConnectionAsync(companyId, connectionId, track: true, ct);
        if (!found.IsSuccess)
        {
            return new CodatError(found.Error!);
        }

        var connection = found.Value!;
        if (body is null || body.Values.Any(v => v is null))
        {
            return new CodatError(Error.Validation("The body must be a JSON object of the platform's credential fields, each a string, e.g. {\"apiKey\": \"…\"}."));
        }

        var values = body.ToDictionary(v => v.Key, v => v.Value!, StringComparer.Ordinal);
        var result = await credentials.LinkAsync(connection, values, consent: null, ct);
        return result switch
        {
            CredentialLinkResult.Linked => TypedResults.Ok(connection.ToResponse(urls)),
            CredentialLinkResult.Invalid invalid => new CodatError(invalid.FieldErrors.Count == 0
                ? Error.Validation(invalid.Message)
                : Error.Validation($"The credentials do not fit {connection.PlatformName}'s form: {invalid.Message}", [.. invalid.FieldErrors.Values.Select(e => e.ToString())])),
            CredentialLinkResult.Refused refused => new CodatError(Error.Validation(refused.Message)),
            _ => new PlatformUnavailable(((CredentialLinkResult.Unavailable)result).Message),
        };
    }

    /// <summary>503 in Codat's error shape: the platform could not check the credentials now; the call may be repeated.</summary>
    public sealed class PlatformUnavailable(string message) : IResult, IStatusCodeHttpResult
    {
        public int? StatusCode => StatusCodes.Status503ServiceUnavailable;

        public Task ExecuteAsync(HttpContext httpContext) => ErrorMapping.WriteAsync(httpContext, StatusCodes.Status503ServiceUnavailable, message);
    }
}

using Consentry.Core.Persistence;
using Consentry.Core.Security;
using Consentry.Infrastructure.Errors;
using Consentry.Infrastructure.Tenancy;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Consentry.Features.Companies;

/// <summary>Codat's <c>ConnectionManagementAccessToken</c> (the older answer: the token alone).</summary>
public sealed record ConnectionManagementAccessTokenResponse(string AccessToken);

/// <summary>Codat's <c>CompanyAccessToken</c>.</summary>
public sealed record CompanyAccessTokenResponse(int ExpiresIn, string AccessToken, string TokenType);

/// <summary>
/// <c>GET /companies/{companyId}/accessToken</c>: a bearer token for the Link and Connections SDKs, valid one day
/// for this company only. The Platform API does not accept it (it only takes API keys).
/// </summary>
internal static class CompanyAccessToken
{
    public static async Task<Results<Ok<CompanyAccessTokenResponse>, CodatError>> Handle(
        Guid companyId, ConsentryDbContext db, CompanyAccessTokens tokens, CurrentClient client, CancellationToken ct)
    {
        if (!await db.CompanyExistsAsync(companyId, ct))
        {
            return new CodatError(CompanyLoading.NotFound(companyId));
        }

        var token = tokens.Issue(client.Id, companyId);
        return TypedResults.Ok(new CompanyAccessTokenResponse((int)CompanyAccessTokens.Lifetime.TotalSeconds, token, "Bearer"));
    }

    /// <summary>
    /// <c>GET /companies/{companyId}/connectionManagement/accessToken</c>: Codat's older path (deprecated in its
    /// document, still called by older SDKs); the same token, in the older answer.
    /// </summary>
    public static async Task<Results<Ok<ConnectionManagementAccessTokenResponse>, CodatError>> HandleOld(
        Guid companyId, ConsentryDbContext db, CompanyAccessTokens tokens, CurrentClient client, CancellationToken ct)
    {
        var result = await Handle(companyId, db, tokens, client, ct);
        return result.Result switch
        {
            Ok<CompanyAccessTokenResponse> ok => TypedResults.Ok(new ConnectionManagementAccessTokenResponse(ok.Value!.AccessToken)),
            CodatError error => error,
            _ => throw new InvalidOperationException("Unexpected access token result."),
        };
    }
}

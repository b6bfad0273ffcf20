using Consentry.Core.Companies;
using Consentry.Core.Persistence;
using Consentry.Infrastructure.Errors;
using Consentry.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Consentry.Features.Companies;

/// <summary><c>PUT</c> replaces name, description and tags (missing ones are cleared); <c>PATCH</c> changes only what is given.</summary>
internal static class UpdateCompany
{
    public static Task<Results<Ok<CompanyResponse>, CodatError>> Replace(
        Guid companyId, CompanyRequest? body, ConsentryDbContext db, PublicUrls urls, CancellationToken ct) =>
        Apply(companyId, body, replace: true, db, urls, ct);

    public static Task<Results<Ok<CompanyResponse>, CodatError>> Patch(
        Guid companyId, CompanyRequest? body, ConsentryDbContext db, PublicUrls urls, CancellationToken ct) =>
        Apply(companyId, body, replace: false, db, urls, ct);

    private static async Task<Results<Ok<CompanyResponse>, CodatError>> Apply(
        Guid companyId, CompanyRequest? body, bool replace, ConsentryDbContext db, PublicUrls urls, CancellationToken ct)
    {
        var company = await db.WithTags().FirstOrDefaultAsync(c => c.Id == companyId, ct);
        if (company is null)
        {
            return new CodatError(CompanyLoading.NotFound(companyId));
        }

        if (body is null)
        {
            return new CodatError(Core.Errors.Error.Validation("A JSON body is required."));
        }

        if (replace || body.Name is not null)
        {
            var name = CompanyRules.NormalizeName(body.Name);
            if (!name.IsSuccess)
            {
                return new CodatError(name.Error!);
            }

            company.Name = name.Value!;
        }

        if ((CompanyRules.ValidateDescription(body.Description) ?? CompanyRules.ValidateTags(body.Tags)) is { } invalid)
        {
            return new CodatError(invalid);
        }

        if (replace || body.Description is not null)
        {
            company.Description = body.Description;
        }

        if (replace || body.Tags is not null)
        {
            company.ReplaceTags(body.Tags);
        }

        await db.SaveChangesAsync(ct);
        await db.WithConnectionsAsync([company], ct);
        return TypedResults.Ok(company.ToResponse(urls));
    }
}

using Consentry.Core.Companies;
using Consentry.Core.Persistence;
using Consentry.Core.Webhooks;
using Consentry.Features.Webhooks;
using Consentry.Infrastructure.Errors;
using Consentry.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Consentry.Features.Companies;

/// <summary><c>POST /companies</c>: 200 (as Codat, not 201) with the new company.</summary>
internal static class CreateCompany
{
    public static async Task<Results<Ok<CompanyResponse>, CodatError>> Handle(
        CompanyRequest? body, ConsentryDbContext db, WebhookOutbox events, TimeProvider time, PublicUrls urls, CancellationToken ct)
    {
        if (body is null)
        {
            return new CodatError(Core.Errors.Error.Validation("A JSON body with the company's name is required."));
        }

        var name = CompanyRules.NormalizeName(body.Name);
        if (!name.IsSuccess)
        {
            return new CodatError(name.Error!);
        }

        if ((CompanyRules.ValidateDescription(body.Description) ?? CompanyRules.ValidateTags(body.Tags)) is { } invalid)
        {
            return new CodatError(invalid);
        }

        var company = new Company
        {
            Id = Guid.CreateVersion7(),
            Name = name.Value!,
            Description = body.Description,
            Created = time.GetUtcNow().UtcDateTime,
        };
        company.ReplaceTags(body.Tags);
        db.Companies.Add(company);
        await events.CompanyAsync(WebhookEventTypes.CompanyCreated, company, ct);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(company.ToResponse(urls));
    }
}

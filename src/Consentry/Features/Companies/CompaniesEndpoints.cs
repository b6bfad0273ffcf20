using Consentry.Infrastructure.Idempotency;

namespace Consentry.Features.Companies;

/// <summary>Codat's companies endpoints.</summary>
public static class CompaniesEndpoints
{
    public static RouteGroupBuilder MapCompaniesApi(this RouteGroupBuilder api)
    {
        var companies = api.MapGroup("/companies").WithTags("Companies");
        companies.MapGet("/", ListCompanies.Handle).WithName("list-companies");
        companies.MapPost("/", CreateCompany.Handle).WithName("create-company").WithIdempotency();
        companies.MapGet("/{companyId:guid}", GetCompany.Handle).WithName("get-company");
        companies.MapPut("/{companyId:guid}", UpdateCompany.Replace).WithName("replace-company");
        companies.MapPatch("/{companyId:guid}", UpdateCompany.Patch).WithName("update-company");
        companies.MapDelete("/{companyId:guid}", DeleteCompany.Handle).WithName("delete-company");
        companies.MapGet("/{companyId:guid}/accessToken", CompanyAccessToken.Handle).WithName("get-company-access-token");
        companies.MapGet("/{companyId:guid}/connectionManagement/accessToken", CompanyAccessToken.HandleOld)
            .WithName("get-connection-management-access-token").WithTags("Connection management");
        return api;
    }
}

using Consentry.Core.Errors;
using Consentry.Core.Persistence;
using Consentry.Features.Companies;
using Consentry.Infrastructure.Errors;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Consentry.Features.Sync;

/// <summary>
/// <c>GET /companies/{companyId}/sync/{datasetId}/validation</c>: Codat's validation results of a read. Consentry runs
/// no data validators over the records it maps (its mappings produce Codat's shapes or skip the record), so a read
/// that completed has no errors or warnings; a read that ended in error reports that as its one error, and a read
/// still running says so as a warning.
/// </summary>
internal static class ReadValidation
{
    public const string ValidatorName = "ReadValidator";

    public static async Task<Results<Ok<ValidationResult>, CodatError>> Handle(Guid companyId, Guid datasetId, ConsentryDbContext db, CancellationToken ct)
    {
        if (!await db.CompanyExistsAsync(companyId, ct))
        {
            return new CodatError(CompanyLoading.NotFound(companyId));
        }

        var dataset = await db.Datasets.AsNoTracking().FirstOrDefaultAsync(d => d.CompanyId == companyId && d.Id == datasetId, ct);
        if (dataset is null)
        {
            return new CodatError(Error.NotFound($"No dataset was found with ID {datasetId}."));
        }

        var id = dataset.Id.ToString();
        ValidationItem[] errors = dataset.IsErrored
            ? [new($"read-{dataset.Status}", id, dataset.ErrorMessage ?? dataset.StatusDescription ?? $"The read ended {dataset.Status}.", ValidatorName)]
            : [];
        ValidationItem[] warnings = dataset.IsActive
            ? [new("read-in-progress", id, $"The read of {dataset.DataType} is {dataset.Status}: its records are not all stored yet.", ValidatorName)]
            : [];
        return TypedResults.Ok(new ValidationResult(errors, warnings));
    }
}

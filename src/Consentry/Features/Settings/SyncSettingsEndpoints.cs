using Consentry.Core.Errors;
using Consentry.Core.Persistence;
using Consentry.Core.Settings;
using Consentry.Domain;
using Consentry.Features.Companies;
using Consentry.Infrastructure.Errors;
using Consentry.Infrastructure.Tenancy;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Consentry.Features.Settings;

/// <summary>Codat's <c>SyncSettings</c> (client) and <c>CompanySyncSettings</c>.</summary>
public sealed record ClientSyncSettingsDto(Guid? ClientId, IReadOnlyList<SyncSetting>? Settings, bool? OverridesDefaults);

public sealed record CompanySyncSettingsDto(Guid? CompanyId, IReadOnlyList<SyncSetting>? Settings, bool? OverridesDefaults);

/// <summary>
/// Sync settings per client and per company, stored now and read by the sync engine: which data types are read on
/// first link and how often. A company's settings override the client's; the client's override our defaults.
/// </summary>
internal static class SyncSettingsEndpoints
{
    public static async Task<Ok<ClientSyncSettingsDto>> GetForClient(IClientCache clients, CurrentClient current, CancellationToken ct)
    {
        var stored = (await clients.GetAsync(current.Id, ct))?.SyncSettings;
        var effective = stored ?? DataTypes.Defaults();
        return TypedResults.Ok(new ClientSyncSettingsDto(current.Id, effective.Settings, effective.OverridesDefaults));
    }

    public static async Task<Results<NoContent, CodatError>> SetForClient(
        ClientSyncSettingsDto? body, ConsentryDbContext db, CurrentClient current, CancellationToken ct)
    {
        if (body?.ClientId is { } id && id != current.Id)
        {
            return new CodatError(Error.Validation("clientId does not match the client of this API key."));
        }

        if (Validate(body?.Settings) is { } invalid)
        {
            return new CodatError(invalid);
        }

        var client = await db.Clients.FirstAsync(c => c.Id == current.Id, ct);
        client.SyncSettings = new SyncSettingsDocument { OverridesDefaults = body!.OverridesDefaults ?? true, Settings = [.. body.Settings!] };
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }

    public static async Task<Results<Ok<CompanySyncSettingsDto>, CodatError>> GetForCompany(
        Guid companyId, ConsentryDbContext db, CurrentClient current, IClientCache clients, CancellationToken ct)
    {
        var company = await db.Companies.AsNoTracking().Where(c => c.Id == companyId)
            .Select(c => new { c.SyncSettings }).FirstOrDefaultAsync(ct);
        if (company is null)
        {
            return new CodatError(CompanyLoading.NotFound(companyId));
        }

        var effective = company.SyncSettings
            ?? (await clients.GetAsync(current.Id, ct))?.SyncSettings
            ?? DataTypes.Defaults();
        return TypedResults.Ok(new CompanySyncSettingsDto(companyId, effective.Settings, company.SyncSettings is not null));
    }

    public static async Task<Results<NoContent, CodatError>> SetForCompany(
        Guid companyId, CompanySyncSettingsDto? body, ConsentryDbContext db, CancellationToken ct)
    {
        var company = await db.Companies.FirstOrDefaultAsync(c => c.Id == companyId, ct);
        if (company is null)
        {
            return new CodatError(CompanyLoading.NotFound(companyId));
        }

        if (body?.CompanyId is { } id && id != companyId)
        {
            return new CodatError(Error.Validation("companyId in the body does not match the company in the path."));
        }

        if (Validate(body?.Settings) is { } invalid)
        {
            return new CodatError(invalid);
        }

        company.SyncSettings = new SyncSettingsDocument { OverridesDefaults = body!.OverridesDefaults ?? true, Settings = [.. body.Settings!] };
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }

    private static Error? Validate(IReadOnlyList<SyncSetting>? settings)
    {
        if (settings is null)
        {
            return Error.Validation("settings is required: a list of {dataType, fetchOnFirstLink, syncSchedule, syncOrder}.");
        }

        var errors = new List<string>();
        foreach (var s in settings)
        {
            if (s is null || string.IsNullOrEmpty(s.DataType) || !DataTypes.IsKnown(s.DataType))
            {
                errors.Add($"'{s?.DataType}' is not a known dataType.");
                continue;
            }

            if (s.SyncSchedule is < 1 or > 8760)
            {
                errors.Add($"{s.DataType}: syncSchedule is in hours, from 1 to 8760.");
            }

            if (s.SyncOrder < 0 || s.MonthsToSync is < 1 or > 1200 || s.SyncFromWindow is < 0)
            {
                errors.Add($"{s.DataType}: syncOrder, monthsToSync and syncFromWindow must not be negative (monthsToSync at least 1).");
            }
        }

        errors.AddRange(settings.Where(s => s?.DataType is not null).GroupBy(s => s.DataType).Where(g => g.Count() > 1)
            .Select(g => $"{g.Key} appears more than once."));
        return errors.Count == 0 ? null : Error.Validation(string.Join(" ", errors), errors);
    }
}

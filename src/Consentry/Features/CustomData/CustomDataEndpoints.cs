using System.Text.Json;
using System.Text.RegularExpressions;
using Consentry.Core.Connections;
using Consentry.Core.Errors;
using Consentry.Core.Integrations;
using Consentry.Core.Persistence;
using Consentry.Features.Connections;
using Consentry.Features.Sync;
using Consentry.Infrastructure.Errors;
using Consentry.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Consentry.Features.CustomData;

/// <summary>
/// Codat's supplemental data and custom data type operations: the client configures them per platform; custom types
/// are queued and read per connection like any data type (datasets, schedules, the record cache) under the data type
/// <c>custom/{identifier}</c>; supplemental data appears in the standard records the next time they are read.
/// </summary>
public static partial class CustomDataEndpoints
{
    public static RouteGroupBuilder MapCustomDataApi(this RouteGroupBuilder api)
    {
        var integration = api.MapGroup("/integrations/{platformKey}/dataTypes");
        integration.MapPut("/{dataType}/supplementalDataConfig", PutSupplemental).WithName("configure-supplemental-data").WithTags("Supplemental data");
        integration.MapGet("/{dataType}/supplementalDataConfig", GetSupplemental).WithName("get-supplemental-data-configuration").WithTags("Supplemental data");
        integration.MapPut("/custom/{customDataIdentifier}", PutCustom).WithName("configure-custom-data-type").WithTags("Custom data type");
        integration.MapGet("/custom/{customDataIdentifier}", GetCustom).WithName("get-custom-data-type-configuration").WithTags("Custom data type");

        var connection = api.MapGroup("/companies/{companyId:guid}/connections/{connectionId:guid}/data").WithTags("Custom data type");
        connection.MapPost("/queue/custom/{customDataIdentifier}", QueueCustom).WithName("refresh-custom-data-type");
        connection.MapGet("/custom/{customDataIdentifier}", ListCustom).WithName("list-custom-data-type-records");
        return api;
    }

    [GeneratedRegex("^[A-Za-z0-9_.-]{1,57}$")]
    private static partial Regex IdentifierPattern();

    /// <summary>200 with no body, as Codat's document declares.</summary>
    private static async Task<Results<Ok, CodatError>> PutSupplemental(
        string platformKey, string dataType, SupplementalDataConfiguration body, ConsentryDbContext db, IntegrationCatalogue catalogue, TimeProvider time, CancellationToken ct)
    {
        if (CheckSupplemental(platformKey, dataType, catalogue) is { } error)
        {
            return new CodatError(error);
        }

        if (body.SupplementalDataConfig is not { Count: > 0 } sets || sets.Any(s => s.Key.Length == 0 || s.Value is null))
        {
            return new CodatError(Error.Validation("supplementalDataConfig must name at least one set of fields, e.g. {\"supplementalDataConfig\": {\"myInvoiceFields\": {\"dataSource\": \"/Invoices\", \"pullData\": {\"myName\": \"PlatformField\"}}}}."));
        }

        await SaveAsync(db, time, platformKey, DataTypeConfigKind.Supplemental, dataType, body, ct);
        return TypedResults.Ok();
    }

    private static async Task<Results<Ok<SupplementalDataConfiguration>, CodatError>> GetSupplemental(
        string platformKey, string dataType, ConsentryDbContext db, IntegrationCatalogue catalogue, CancellationToken ct)
    {
        if (CheckSupplemental(platformKey, dataType, catalogue) is { } error)
        {
            return new CodatError(error);
        }

        // Codat answers an empty configuration for a data type that has none.
        var stored = await LoadAsync<SupplementalDataConfiguration>(db, platformKey, DataTypeConfigKind.Supplemental, dataType, ct);
        return TypedResults.Ok(stored ?? new SupplementalDataConfiguration(new Dictionary<string, SupplementalDataSource>()));
    }

    private static async Task<Results<Ok<CustomDataTypeConfiguration>, CodatError>> PutCustom(
        string platformKey, string customDataIdentifier, CustomDataTypeConfiguration body, ConsentryDbContext db, IntegrationCatalogue catalogue,
        TimeProvider time, CancellationToken ct)
    {
        if (CheckCustom(platformKey, customDataIdentifier, catalogue) is { } error)
        {
            return new CodatError(error);
        }

        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(body.DataSource))
        {
            errors.Add("dataSource: name the platform endpoint the records are read from (e.g. /api.xro/2.0/Accounts).");
        }

        if (body.RequiredData is not { Count: > 0 } || body.RequiredData.Any(d => string.IsNullOrWhiteSpace(d.Value)))
        {
            errors.Add("requiredData: map at least one of your names to a path in the platform's record (e.g. {\"code\": \"$.Code\"}).");
        }

        if (body.KeyBy is not { Count: > 0 } || body.KeyBy.Any(string.IsNullOrWhiteSpace))
        {
            errors.Add("keyBy: give at least one path whose values identify a record (e.g. [\"$.AccountID\"]).");
        }

        if (errors.Count > 0)
        {
            return new CodatError(Error.Validation("The custom data type configuration is incomplete.", errors));
        }

        await SaveAsync(db, time, platformKey, DataTypeConfigKind.Custom, customDataIdentifier, body, ct);
        return TypedResults.Ok(body);
    }

    private static async Task<Results<Ok<CustomDataTypeConfiguration>, CodatError>> GetCustom(
        string platformKey, string customDataIdentifier, ConsentryDbContext db, IntegrationCatalogue catalogue, CancellationToken ct)
    {
        if (CheckCustom(platformKey, customDataIdentifier, catalogue) is { } error)
        {
            return new CodatError(error);
        }

        return await LoadAsync<CustomDataTypeConfiguration>(db, platformKey, DataTypeConfigKind.Custom, customDataIdentifier, ct) is { } stored
            ? TypedResults.Ok(stored)
            : new CodatError(NotConfigured(platformKey, customDataIdentifier));
    }

    /// <summary>200 with the PullOperation. Custom data is read only under a consent to everything the platform offers.</summary>
    private static async Task<Results<Ok<PullOperation>, CodatError>> QueueCustom(
        Guid companyId, Guid connectionId, string customDataIdentifier, ConsentryDbContext db, SyncQueue queue, ConsentLedger consents, CancellationToken ct)
    {
        var found = await db.FindConnectionAsync(companyId, connectionId, track: false, ct);
        if (!found.IsSuccess)
        {
            return new CodatError(found.Error!);
        }

        var connection = found.Value!;
        if (!await db.DataTypeConfigs.AnyAsync(c => c.PlatformKey == connection.PlatformKey && c.Kind == DataTypeConfigKind.Custom && c.Name == customDataIdentifier, ct))
        {
            return new CodatError(NotConfigured(connection.PlatformKey, customDataIdentifier));
        }

        if (connection.Status != ConnectionStatus.Linked)
        {
            return new CodatError(Error.NotFound($"Connection {connectionId} is {connection.Status}: only Linked connections are read."));
        }

        var dataType = CustomDataTypes.DataType(customDataIdentifier);
        if (!(await consents.CoverageAsync(connection.Id, ct)).Covers(dataType))
        {
            return new CodatError(new Error(ErrorKind.UnavailableForLegalReasons,
                $"The customer has not consented to sharing custom data ({customDataIdentifier}): custom data types are read only under a consent to everything the platform offers."));
        }

        var datasets = await SyncEndpoints.SaveQueuedAsync(db, () => queue.QueueAsync(companyId, [(connection, [dataType])], SyncTrigger.Request, null, ct), ct);
        return TypedResults.Ok(datasets[0].ToPullOperation());
    }

    private static async Task<Results<Ok<CustomDataTypeRecords>, CodatError>> ListCustom(
        Guid companyId, Guid connectionId, string customDataIdentifier, int? page, int? pageSize, ConsentryDbContext db, CancellationToken ct)
    {
        var paging = new PageQuery { Page = page, PageSize = pageSize };
        if (Paging.Validate(paging) is { } invalid)
        {
            return new CodatError(invalid);
        }

        var found = await db.FindConnectionAsync(companyId, connectionId, track: false, ct);
        if (!found.IsSuccess)
        {
            return new CodatError(found.Error!);
        }

        var dataType = CustomDataTypes.DataType(customDataIdentifier);
        if (!await db.SyncSchedules.AnyAsync(s => s.ConnectionId == connectionId && s.DataType == dataType && s.LastSuccessfulSync != null, ct))
        {
            return new CodatError(Error.NotFound(
                $"{customDataIdentifier} has not been read from connection {connectionId} yet. Queue it with POST /companies/{companyId}/connections/{connectionId}/data/queue/custom/{customDataIdentifier}."));
        }

        var records = db.Records.AsNoTracking().Where(r => r.ConnectionId == connectionId && r.DataType == dataType);
        var total = await records.CountAsync(ct);
        var rows = await records.OrderBy(r => r.Id).Skip(Paging.Offset(paging)).Take(paging.Size).Select(r => r.Data).ToListAsync(ct);
        return TypedResults.Ok(new CustomDataTypeRecords([.. rows.Select(Parse)], paging.PageNumber, paging.Size, total));
    }

    private static Error? CheckSupplemental(string platformKey, string dataType, IntegrationCatalogue catalogue) =>
        catalogue.Find(platformKey) is null ? UnknownPlatform(platformKey)
        : !CustomDataTypes.SupplementalTypes.Contains(dataType)
            ? Error.NotFound($"{dataType} does not take supplemental data. Data types that do: {string.Join(", ", CustomDataTypes.SupplementalTypes)}.")
            : null;

    private static Error? CheckCustom(string platformKey, string identifier, IntegrationCatalogue catalogue) =>
        catalogue.Find(platformKey) is null ? UnknownPlatform(platformKey)
        : !IdentifierPattern().IsMatch(identifier)
            ? Error.NotFound($"'{identifier}' cannot name a custom data type: use 1 to {CustomDataTypes.MaxIdentifierLength} letters, digits, '.', '_' or '-'.")
            : null;

    private static Error UnknownPlatform(string platformKey) => Error.NotFound($"No integration was found with the key {platformKey}.");

    private static Error NotConfigured(string platformKey, string identifier) =>
        Error.NotFound($"No custom data type {identifier} is configured for {platformKey}. Configure it with PUT /integrations/{platformKey}/dataTypes/custom/{identifier}.");

    private static async Task SaveAsync<T>(ConsentryDbContext db, TimeProvider time, string platformKey, DataTypeConfigKind kind, string name, T body, CancellationToken ct)
    {
        var json = JsonSerializer.Serialize(body, ApiJson.Options);
        var now = time.GetUtcNow().UtcDateTime;
        var existing = await db.DataTypeConfigs.FirstOrDefaultAsync(c => c.PlatformKey == platformKey && c.Kind == kind && c.Name == name, ct);
        if (existing is null)
        {
            db.DataTypeConfigs.Add(new DataTypeConfig { PlatformKey = platformKey, Kind = kind, Name = name, Json = json, Updated = now });
        }
        else
        {
            existing.Json = json;
            existing.Updated = now;
        }

        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException) when (existing is null)
        {
            // Two first PUTs at once: the other one created the row; this one's configuration replaces it.
            db.ChangeTracker.Clear();
            await db.DataTypeConfigs.Where(c => c.PlatformKey == platformKey && c.Kind == kind && c.Name == name)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.Json, json).SetProperty(c => c.Updated, now), ct);
        }
    }

    private static async Task<T?> LoadAsync<T>(ConsentryDbContext db, string platformKey, DataTypeConfigKind kind, string name, CancellationToken ct)
        where T : class
    {
        var json = await db.DataTypeConfigs.AsNoTracking()
            .Where(c => c.PlatformKey == platformKey && c.Kind == kind && c.Name == name).Select(c => c.Json).FirstOrDefaultAsync(ct);
        return json is null ? null : JsonSerializer.Deserialize<T>(json, ApiJson.Options);
    }

    private static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}

using Consentry.Core.Connections;
using Consentry.Core.Errors;
using Consentry.Core.Integrations;
using Consentry.Core.Persistence;
using Consentry.Core.Webhooks;
using Consentry.Features.Webhooks;
using Consentry.Features.Companies;
using Consentry.Features.Integrations;
using Consentry.Infrastructure.Errors;
using Consentry.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Consentry.Features.Connections;

/// <summary>
/// <c>POST /companies/{companyId}/connections {platformKey}</c>: 200 with a <c>PendingAuth</c> connection whose
/// <c>linkUrl</c> starts the Link journey. A company has at most one accounting connection (enforced by the database).
/// </summary>
internal static class CreateConnection
{
    public static async Task<Results<Ok<ConnectionResponse>, CodatError>> Handle(
        Guid companyId, CreateConnectionRequest? body, ConsentryDbContext db, IntegrationCatalogue catalogue,
        WebhookEvents events, TimeProvider time, PublicUrls urls, CancellationToken ct)
    {
        var company = await db.Companies.AsNoTracking().Include(c => c.Tags).FirstOrDefaultAsync(c => c.Id == companyId, ct);
        if (company is null)
        {
            return new CodatError(CompanyLoading.NotFound(companyId));
        }

        if (string.IsNullOrWhiteSpace(body?.PlatformKey))
        {
            return new CodatError(Error.Validation("platformKey is required, e.g. {\"platformKey\": \"sbac\"}."));
        }

        var integration = catalogue.Find(body.PlatformKey);
        if (integration is null)
        {
            return new CodatError(Error.Validation($"No integration has the platformKey '{body.PlatformKey}'. GET /integrations lists them."));
        }

        var setting = await db.IntegrationSettings.AsNoTracking().FirstOrDefaultAsync(s => s.PlatformKey == integration.Key, ct);
        if (!integration.IsEnabledFor(setting))
        {
            return new CodatError(Error.Validation(IntegrationMessages.NotEnabled(integration)));
        }

        if (integration.SourceType == SourceType.Accounting && await ExistingAccountingAsync(db, companyId, ct) is { } existing)
        {
            return new CodatError(OneAccountingConnection(existing));
        }

        var connection = new Connection
        {
            Id = Guid.CreateVersion7(),
            CompanyId = companyId,
            IntegrationKey = integration.Key,
            IntegrationId = integration.IntegrationId,
            SourceId = integration.SourceId,
            SourceType = integration.SourceType,
            PlatformName = integration.Name,
            Status = ConnectionStatus.PendingAuth,
            Created = time.GetUtcNow().UtcDateTime,
        };
        db.Connections.Add(connection);
        await events.ConnectionAsync(WebhookEventTypes.ConnectionCreated, company, connection, ct);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException) when (integration.SourceType == SourceType.Accounting)
        {
            // A concurrent request created the accounting connection first; the unique index refused ours.
            db.ChangeTracker.Clear();
            if (await ExistingAccountingAsync(db, companyId, ct) is { } raced)
            {
                return new CodatError(OneAccountingConnection(raced));
            }

            throw;
        }

        return TypedResults.Ok(connection.ToResponse(urls));
    }

    private static Task<Connection?> ExistingAccountingAsync(ConsentryDbContext db, Guid companyId, CancellationToken ct) =>
        db.Connections.AsNoTracking().FirstOrDefaultAsync(
            c => c.CompanyId == companyId && c.SourceType == SourceType.Accounting && c.Status != ConnectionStatus.Unlinked, ct);

    private static Error OneAccountingConnection(Connection existing) => Error.Validation(
        $"This company already has an accounting connection ({existing.PlatformName}, {existing.Status}, id {existing.Id}). "
        + "A company can have only one accounting connection: unlink or delete it first.");
}

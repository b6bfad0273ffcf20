using Consentry.Core.Companies;
using Consentry.Core.Connections;
using Consentry.Core.Errors;
using Consentry.Core.Integrations;
using Consentry.Core.Persistence;
using Consentry.Core.Webhooks;
using Microsoft.EntityFrameworkCore;

namespace Consentry.Domain;

/// <summary>
/// Creates a <c>PendingAuth</c> connection, for the API and the Link pages alike: the integration must be enabled for
/// the client, and a company has at most one accounting connection (also enforced by a unique index, so concurrent
/// creates cannot both win). The <c>connection.created</c> event commits with it.
/// </summary>
public sealed class ConnectionFactory(ConsentryDbContext db, WebhookOutbox events, TimeProvider time)
{
    public async Task<Result<Connection>> CreateAsync(Company company, IntegrationDefinition integration, CancellationToken ct)
    {
        var setting = await db.IntegrationSettings.AsNoTracking().FirstOrDefaultAsync(s => s.PlatformKey == integration.PlatformKey, ct);
        if (!integration.IsEnabledFor(setting))
        {
            return Error.Readable(ErrorKind.Validation, IntegrationMessages.NotEnabled(integration));
        }

        if (integration.SourceType == SourceType.Accounting && await ExistingAccountingAsync(company.Id, ct) is { } existing)
        {
            return OneAccountingConnection(existing);
        }

        // A new connection is PendingAuth (the status's default); only ConnectionLifecycle changes it.
        var connection = new Connection
        {
            Id = Guid.CreateVersion7(),
            CompanyId = company.Id,
            PlatformKey = integration.PlatformKey,
            IntegrationId = integration.IntegrationId,
            SourceId = integration.SourceId,
            SourceType = integration.SourceType,
            PlatformName = integration.Name,
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
            if (await ExistingAccountingAsync(company.Id, ct) is { } raced)
            {
                return OneAccountingConnection(raced);
            }

            throw;
        }

        return connection;
    }

    private Task<Connection?> ExistingAccountingAsync(Guid companyId, CancellationToken ct) =>
        db.Connections.AsNoTracking().FirstOrDefaultAsync(
            c => c.CompanyId == companyId && c.SourceType == SourceType.Accounting && c.Status != ConnectionStatus.Unlinked, ct);

    private static Error OneAccountingConnection(Connection existing) => Error.Readable(ErrorKind.Validation,
        $"This company already has an accounting connection ({existing.PlatformName}, {existing.Status}, id {existing.Id}). A company can have only one accounting connection: unlink or delete it first.");
}

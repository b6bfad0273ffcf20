using Consentry.Core.Tenancy;

namespace Consentry.Infrastructure.Tenancy;

/// <summary>The authenticated client of this request, injected into handlers that need its id.</summary>
public sealed class CurrentClient(IClientContext tenant)
{
    public Guid Id => tenant.ClientId ?? throw new InvalidOperationException("No client is authenticated for this request.");
}

namespace Consentry.Core.Tenancy;

/// <summary>
/// The client the current unit of work acts for. The HTTP edge fills it from authentication;
/// background jobs set it explicitly per item. Null means "no client": tenant-owned rows are then invisible.
/// </summary>
public interface IClientContext
{
    Guid? ClientId { get; }
}

/// <summary>A settable tenant context, registered scoped.</summary>
public sealed class ClientContext : IClientContext
{
    public Guid? ClientId { get; private set; }

    public void Set(Guid clientId)
    {
        if (ClientId is { } existing && existing != clientId)
        {
            throw new InvalidOperationException("The tenant of a unit of work cannot change once set.");
        }

        ClientId = clientId;
    }
}

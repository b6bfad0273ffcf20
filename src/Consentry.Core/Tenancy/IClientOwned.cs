namespace Consentry.Core.Tenancy;

/// <summary>An object that belongs to one client (tenant). The DbContext filters and stamps these.</summary>
public interface IClientOwned
{
    Guid ClientId { get; set; }
}

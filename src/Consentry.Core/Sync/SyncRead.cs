using Consentry.Core.Tenancy;

namespace Consentry.Core.Sync;

/// <summary>
/// Datasets queued together (on linking, a refresh of everything, one data type, or a schedule). The worker that ends
/// the last of them (<see cref="Remaining"/> reaches 0, decremented atomically) sends <c>read.completed</c>.
/// </summary>
public sealed class SyncRead : IClientOwned
{
    public Guid Id { get; set; }

    public Guid ClientId { get; set; }

    public Guid CompanyId { get; set; }

    /// <summary>The first read after a connection was linked: also <c>read.completed.initial</c>.</summary>
    public bool IsInitial { get; set; }

    public DateTime Requested { get; set; }

    public int Remaining { get; set; }

    public DateTime? Completed { get; set; }
}

using Consentry.Core.Sync;

namespace Consentry.Features.Sync;

/// <summary>Codat's PullOperation (formerly "dataset").</summary>
public sealed record PullOperation(
    Guid Id, Guid CompanyId, Guid ConnectionId, string DataType, string Status, string? StatusDescription, string? ErrorMessage,
    DateTime Requested, DateTime? Completed, int Progress, bool IsCompleted, bool IsErrored);

/// <summary>Codat's DataStatus: the state of one data type in the cache.</summary>
public sealed record DataStatus(string DataType, DateTime? LastSuccessfulSync, string CurrentStatus, Guid? LatestSyncId, Guid? LatestSuccessfulSyncId);

internal static class SyncMapping
{
    public static PullOperation ToPullOperation(this Dataset d) => new(
        d.Id, d.CompanyId, d.ConnectionId, d.DataType, d.Status.ToString(), d.StatusDescription, d.ErrorMessage,
        d.Requested, d.Completed, d.Progress, d.IsSuccessful, d.IsErrored);
}

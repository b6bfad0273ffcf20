using Consentry.Core.Sync;

namespace Consentry.Features.Sync;

/// <summary>Codat's PullOperation (formerly "dataset").</summary>
public sealed record PullOperation(
    Guid Id, Guid CompanyId, Guid ConnectionId, string DataType, string Status, string? StatusDescription, string? ErrorMessage,
    DateTime Requested, DateTime? Completed, int Progress, bool IsCompleted, bool IsErrored);

/// <summary>Codat's DataStatus: the state of one data type in the cache.</summary>
public sealed record DataStatus(string DataType, DateTime? LastSuccessfulSync, string CurrentStatus, Guid? LatestSyncId, Guid? LatestSuccessfulSyncId);

/// <summary>Codat's <c>ValidationResult</c> of a read (<see cref="ReadValidation"/>).</summary>
public sealed record ValidationResult(IReadOnlyList<ValidationItem> Errors, IReadOnlyList<ValidationItem> Warnings);

public sealed record ValidationItem(string RuleId, string ItemId, string Message, string ValidatorName);

internal static class SyncMapping
{
    public static PullOperation ToPullOperation(this Dataset d) => new(
        d.Id, d.CompanyId, d.ConnectionId, d.DataType, d.Status.ToString(), d.StatusDescription, d.ErrorMessage,
        d.Requested, d.Completed, d.Progress, d.IsSuccessful, d.IsErrored);
}

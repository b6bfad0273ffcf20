using Consentry.Core.Settings;

namespace Consentry.Features.Sync;

/// <summary>
/// The lower date bound a data type's sync setting puts on a read: <c>syncFromUtc</c>, or <c>syncFromWindow</c> months
/// back, and for reports (Codat: "for report data types only") <c>monthsToSync</c> months back; the latest of those set.
/// Records the platform last modified before it are not read (nor marked deleted when a full read does not find them).
/// </summary>
public static class SyncWindow
{
    private static readonly HashSet<string> Reports = new(StringComparer.Ordinal) { "balanceSheet", "profitAndLoss", "cashFlowStatement" };

    public static DateTime? From(SyncSetting setting, DateTime now)
    {
        DateTime? from = setting.SyncFromUtc is { } utc
            ? utc.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(utc, DateTimeKind.Utc) : utc.ToUniversalTime()
            : null;
        if (setting.SyncFromWindow is > 0 and var window)
        {
            from = Later(from, now.AddMonths(-window));
        }

        if (Reports.Contains(setting.DataType) && setting.MonthsToSync is > 0 and var months)
        {
            from = Later(from, now.AddMonths(-months));
        }

        return from;
    }

    private static DateTime Later(DateTime? a, DateTime b) => a is { } x && x > b ? x : b;
}

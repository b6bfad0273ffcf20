namespace Consentry.Core.Persistence;

/// <summary>SQL window functions EF Core does not offer (translated by the DbContext, never called in .NET).</summary>
public static class WindowFunctions
{
    /// <summary>
    /// <c>COUNT(*) OVER ()</c>: the number of rows the statement's <c>WHERE</c> kept, beside each row, before its
    /// <c>ORDER BY … LIMIT</c> (window functions run before both). Project it before <c>Skip</c>/<c>Take</c>, so it
    /// stays in the statement that filters, not in an outer one over the page.
    /// </summary>
    public static long CountOver() =>
        throw new InvalidOperationException($"{nameof(CountOver)} runs in the database only, inside a query.");
}
